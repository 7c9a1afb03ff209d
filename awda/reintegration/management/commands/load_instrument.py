"""Load a version of a survey instrument (e.g. the organisation's official Reintegration
Sustainability Survey with IOM's published weights) from its JSON definition file:

    .venv/bin/python manage.py load_instrument path/to/rss-official.json [--inactive]

The file is validated first (docs/sustainability-survey.md lists the rules); every problem is
printed and the command exits with an error without loading anything. Loading the same file
again does nothing; a changed file needs a new version. The newest active version of an
instrument is used for new surveys: with --inactive the version is stored but not used until
it is activated in the admin."""

from django.core.management.base import BaseCommand, CommandError

from awda.core.errors import ApplicationError
from awda.reintegration.surveys.instrument import InstrumentInvalid, instrument_load


class Command(BaseCommand):
    help = "Load a survey instrument version from a JSON definition file (validated)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The instrument definition file (JSON).")
        parser.add_argument(
            "--inactive",
            action="store_true",
            help="Store the version without using it for new surveys.",
        )

    def handle(self, *args, path, inactive, **options):
        from awda.reintegration.models import Instrument

        before = Instrument.objects.count()
        try:
            instrument = instrument_load(None, path=path, activate=not inactive)
        except InstrumentInvalid as exc:
            problems = "\n".join(f"- {error}" for error in exc.errors)
            self.stderr.write(problems)
            raise CommandError(
                f"{path}: the instrument is not valid, nothing was loaded "
                f"({len(exc.errors)} problem(s)):\n{problems}"
            ) from None
        except ApplicationError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        if Instrument.objects.count() == before:
            self.stdout.write(
                f"{instrument.code} {instrument.version} is already loaded with this content: "
                "nothing to do."
            )
            return
        state = "used for new surveys" if instrument.is_active else "inactive"
        placeholder = " (placeholder)" if instrument.is_placeholder else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {instrument.code} {instrument.version}{placeholder}: "
                f"{len(instrument.definition['questions'])} questions, {state}."
            )
        )
