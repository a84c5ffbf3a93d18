"""``aduan officer``: the one-time sign-in link, a password, the sign-in audit, as the admin runs them."""

import os
import re

import pytest

from tests.cli.inprocess import aduan_runner

LINK = re.compile(r"^http://127\.0\.0\.1:8080/petugas/masuk/[A-Za-z0-9_-]{43}$")


@pytest.fixture
def run(database_url, engine, tmp_path):
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}
    env.pop("ADUAN_PASSWORD", None)
    env.pop("ADUAN_PUBLIC_BASE_URL", None)
    return aduan_runner(env)


def test_a_link_a_password_and_the_audit(run):
    issued = run("officer", "login-link", "admin-pusat")
    assert issued.returncode == 0, issued.stderr
    assert LINK.match(issued.stdout.strip()) and "Rina Wulandari" in issued.stderr and "sekali pakai" in issued.stderr
    again = run("officer", "login-link", "admin-pusat")
    assert again.stdout != issued.stdout  # a new secret every time

    short = run("officer", "set-password", "admin-pusat", stdin="pendek\npendek\n")
    assert short.returncode == 1 and "minimal 10 karakter" in short.stderr
    done = run("officer", "set-password", "admin-pusat", stdin="kata-sandi-baru-1\nkata-sandi-baru-1\n")
    assert done.returncode == 0 and "sudah disimpan" in done.stderr

    audit = run("officer", "logins", "admin-pusat")
    lines = audit.stdout.splitlines()
    assert [line.split()[3] for line in lines] == ["password_set", "link_issued", "link_issued"]


def test_an_unknown_officer_is_refused(run):
    refused = run("officer", "login-link", "siapa-saja")
    assert refused.returncode == 1 and "siapa-saja" in refused.stderr and not refused.stdout
