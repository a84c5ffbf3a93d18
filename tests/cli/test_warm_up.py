"""``aduan serve`` reads the NLU's files before it takes traffic (App.warm_up), so the
first citizen who names a place outside the city does not wait for the province's places."""

from __future__ import annotations

from pathlib import Path

from aduan.bootstrap import bootstrap
from aduan.settings import Settings
from nlu.regions import Gazetteer


async def test_warm_up_reads_the_model_and_the_places_of_the_city_and_its_province(tmp_path: Path) -> None:
    app = await bootstrap(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", data_dir=tmp_path))
    try:
        scope = app.nlu.region_scope
        assert scope is not None and "." in scope  # the demo organisation is a city
        Gazetteer._cache.pop(scope[:2], None)  # as in a fresh process
        app.warm_up()
        assert scope[:2] in Gazetteer._cache and scope in Gazetteer._cache
        assert app.nlu.model is not None
    finally:
        await app.close()
