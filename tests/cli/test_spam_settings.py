"""The organisation file's ``spam:`` section sets the limits (complaints.spam.SpamPolicy)."""

import pytest
import yaml

from aduan.organisation import OrganisationFileError, load_organisation
from aduan.settings import DEMO_ORGANISATION
from complaints.spam import SpamPolicy


def write(tmp_path, **extra):
    data = {**yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8")), **extra}
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_defaults_and_the_files_own_limits(tmp_path):
    assert load_organisation(write(tmp_path)).spam == SpamPolicy(daily_limit=5, copies_senders=3, copies_minutes=10)
    org = load_organisation(write(tmp_path, spam={"daily_limit": 0, "copies_senders": 4, "copies_minutes": 30}))
    assert org.spam == SpamPolicy(0, 4, 30) and not org.spam.over_daily_limit(100)


@pytest.mark.parametrize("spam", [{"daily_limit": -1}, {"copies_senders": 1}, {"copies_minutes": 0}, {"limit": 3}])
def test_a_limit_out_of_range_is_refused_with_its_place(tmp_path, spam):
    with pytest.raises(OrganisationFileError) as refused:
        load_organisation(write(tmp_path, spam=spam))
    assert "spam" in str(refused.value)
