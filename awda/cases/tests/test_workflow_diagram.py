from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from awda.cases import workflow
from awda.cases.choices import Status
from awda.cases.management.commands.workflow_diagram import render

DOC = Path(settings.BASE_DIR) / "docs" / "workflow.md"


def test_committed_workflow_doc_matches_the_transition_table():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/workflow.md is out of date: run `make diagram` and commit it."
    )


def test_diagram_shows_every_transition_and_status():
    text = render()
    assert "stateDiagram-v2" in text
    for t in workflow.TRANSITIONS:
        assert f"| `{t.name}` (" in text
        for source in t.sources:
            assert f"{source} --> {t.target or ''}" in text
        assert f": {t.name}" in text
        for gate in t.gates:
            assert f"`{gate.code}`" in text
    for status in Status.values:
        assert f" as {status}" in text


def test_check_option_refuses_a_stale_file(tmp_path):
    stale = tmp_path / "workflow.md"
    stale.write_text("old\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("workflow_diagram", output=str(stale), check=True)
    call_command("workflow_diagram", output=str(stale), stdout=StringIO())
    call_command("workflow_diagram", output=str(stale), check=True)
    assert stale.read_text(encoding="utf-8") == render()
