"""`manage.py workflow_diagram [--output docs/workflow.md] [--check]`: the case workflow as a
Mermaid state diagram and a table, generated from the transition table (awda/cases/workflow.py).

docs/workflow.md is this command's output; a test fails when the two disagree, so the documented
workflow cannot drift from the code.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from awda.accounts.choices import Role
from awda.cases import workflow
from awda.cases.choices import Status

INPUT_LABELS = {
    "comment": "comment",
    "reason": "reason",
    "project": "funding project",
    "closure_reason": "closure reason",
}


def _status_list(statuses) -> str:
    order = list(Status.values)
    return ", ".join(str(Status(s).label) for s in sorted(statuses, key=order.index))


def _roles(roles) -> str:
    order = list(Role.values)
    return ", ".join(str(Role(r).label) for r in sorted(roles, key=order.index))


def render() -> str:
    """The Markdown document (English), deterministic for a given transition table."""
    with translation.override("en"):
        return _render()


def _render() -> str:
    holdable = [s for s in Status.values if any(
        t.target == Status.ON_HOLD and s in t.sources for t in workflow.TRANSITIONS
    )]  # fmt: skip
    lines = [
        "# Case workflow",
        "",
        "<!-- Generated from awda/cases/workflow.py by `python manage.py workflow_diagram "
        "--output docs/workflow.md` (or `make diagram`). Do not edit by hand: a test fails when "
        "this file and the transition table disagree. -->",
        "",
        "Every status change of a case goes through one service (`case_transition`), which checks "
        "the move against this table: the case's current status must be one of the sources, the "
        "user must hold one of the roles in the case's office (or, after the handover, in the "
        "receiving mission), the required inputs must be given and every gate must pass. A "
        "refused move names the gate that failed, in the UI and in the API alike.",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    for status in Status:
        lines.append(f'    state "{status.label}" as {status.value}')
    lines.append(f"    [*] --> {Status.REGISTERED.value}")
    for t in workflow.TRANSITIONS:
        for source in t.sources:
            if t.target is None:
                for back in holdable:
                    lines.append(f"    {source} --> {back} : {t.name}")
            else:
                lines.append(f"    {source} --> {t.target} : {t.name}")
    lines.append(f"    {Status.CLOSED.value} --> [*]")
    lines += ["```", "", "## Transitions", ""]
    lines.append("| Transition | From | To | Roles | Required inputs | Gates |")
    lines.append("|---|---|---|---|---|---|")
    for t in workflow.TRANSITIONS:
        target = Status(t.target).label if t.target else "the status the case had before the hold"
        inputs = ", ".join(INPUT_LABELS.get(i, i) for i in sorted(t.requires)) or "-"
        gates = "<br>".join(f"`{g.code}`: {g.label}" for g in t.gates) or "-"
        lines.append(
            f"| `{t.name}` ({t.label}) | {_status_list(t.sources)} | {target} | "
            f"{_roles(t.roles)} | {inputs} | {gates} |"
        )
    lines += ["", "## Statuses", ""]
    for status in Status:
        moves = [t.name for t in workflow.transitions_from(status.value)]
        out = ", ".join(f"`{m}`" for m in moves) or "none (final)"
        lines.append(f"- **{status.label}** (`{status.value}`): {out}")
    lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Write the case workflow (Mermaid diagram and transition table) as Markdown."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail if the --output file differs from what would be generated.",
        )

    def handle(self, *args, output=None, check=False, **options):
        text = render()
        if not output:
            if check:
                raise CommandError("--check needs --output.")
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run `make diagram`.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
