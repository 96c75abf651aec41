"""The migrations build exactly the schema the models declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from studyapp import create_app
from studyapp.extensions import db


def test_upgrade_matches_models_and_downgrade_works(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "inst"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}", "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert db.inspect(conn).get_table_names() == ["alembic_version"]
        db.engine.dispose()
