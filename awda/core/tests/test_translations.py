"""The French catalogues are complete and consistent, and the UI is French by default.

The .po files are parsed here with a small reader (no polib dependency). The compiled .mo files are
build output: `make` runs compilemessages before pytest.
"""

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.settings import base as base_settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))

# %s, %d, %(name)s, %(s).1f ... (not %%); {name} and {0} (str.format / JS interpolation).
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
BRACES = re.compile(r"\{[A-Za-z_0-9]+\}")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr / msgstr[n]."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "strings": {}}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["strings"][key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry["strings"][key] = ast.literal_eval(value)
    return [e for e in entries if "msgid" in e["strings"]]


def msgstrs(entry: dict) -> dict[str, str]:
    return {k: v for k, v in entry["strings"].items() if k.startswith("msgstr")}


def placeholders(text: str) -> Counter:
    return Counter(PERCENT.findall(text.replace("%%", ""))) + Counter(BRACES.findall(text))


def describe(path: Path, entry: dict) -> str:
    return f"{path.relative_to(LOCALE_DIR)}: {entry['strings']['msgid']!r}"


def test_french_catalogues_exist():
    assert LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po" in PO_FILES


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_header_declares_french_utf8_and_plural_forms(path):
    header = next(e for e in read_po(path) if e["strings"]["msgid"] == "")
    text = header["strings"]["msgstr"]
    assert "fuzzy" not in header["flags"]
    assert f"Language: {path.parent.parent.name}\n" in text
    assert "charset=UTF-8" in text
    if path.parent.parent.name == "fr":
        assert "Plural-Forms: nplurals=2; plural=(n > 1);" in text


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_every_entry_is_translated_and_not_fuzzy(path):
    entries = [e for e in read_po(path) if e["strings"]["msgid"]]
    fuzzy = [describe(path, e) for e in entries if "fuzzy" in e["flags"]]
    untranslated = [
        describe(path, e) for e in entries if not all(v.strip() for v in msgstrs(e).values())
    ]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy[:20]}"
    assert not untranslated, f"{len(untranslated)} untranslated entries: {untranslated[:20]}"


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_translations_keep_placeholders_and_html_tags(path):
    problems = []
    for entry in read_po(path):
        strings = entry["strings"]
        if not strings["msgid"]:
            continue
        for key, text in msgstrs(entry).items():
            # msgstr[0] mirrors msgid, the other plural forms mirror msgid_plural.
            source = strings["msgid"] if key in ("msgstr", "msgstr[0]") else strings["msgid_plural"]
            if placeholders(text) != placeholders(source):
                problems.append(f"{describe(path, entry)} {key}: placeholders differ")
            if Counter(TAG.findall(text)) != Counter(TAG.findall(source)):
                problems.append(f"{describe(path, entry)} {key}: HTML tags differ")
    assert not problems, "\n".join(problems)


@pytest.fixture
def production_default_language(settings):
    """The test settings speak English (tests assert on source strings); production speaks French."""
    settings.LANGUAGE_CODE = base_settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def test_production_default_language_is_french():
    assert base_settings.LANGUAGE_CODE == "fr"


@pytest.mark.django_db
def test_login_page_is_in_french_by_default(client, production_default_language):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert "Se connecter" in content
    assert "Mot de passe" in content
    assert "Retour volontaire assisté et réintégration" in content
    assert "Sign in" not in content
    assert "Password" not in content


@pytest.mark.django_db
def test_login_page_switches_to_english(client, production_default_language):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})

    response = client.get(reverse("accounts:login"))

    content = response.content.decode()
    assert '<html lang="en"' in content
    assert "Sign in" in content
    assert "Password" in content
    assert "Se connecter" not in content
