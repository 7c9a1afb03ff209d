"""A file that is not a readable XLSX workbook, whatever is wrong with it, is refused with the
reader's message (a SourceError), never an unexpected error: text, a cut-short or corrupted zip,
an old .xls, an encrypted workbook, an OpenDocument file, broken sheet XML."""

import io
import zipfile

import pytest
from django.utils.translation import gettext
from msoffcrypto.format.ooxml import OOXMLFile

from awda.imports.contract import SourceError
from awda.imports.sources import read, read_xlsx
from awda.imports.tests.kobo_factory import make_kobo_export

_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"


def _package(sheet_data: str, *, prefix: str = "") -> bytes:
    """A workbook written by hand, for what XlsxWriter never writes (cells without `r`, a
    namespace prefix, numbers written as 3.0)."""
    ns = f"xmlns{':' + prefix[:-1] if prefix else ''}"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    files = {
        "[Content_Types].xml": f'<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="A &amp; B" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<{prefix}worksheet {ns}="{main}"><{prefix}sheetData>'
        f"{sheet_data}</{prefix}sheetData></{prefix}worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()


def _encrypted() -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(make_kobo_export(20))).encrypt("secret", out)
    return out.getvalue()


def _corrupt_zip() -> bytes:
    data = bytearray(make_kobo_export(50))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + info.compress_size // 2, start + info.compress_size // 2 + 8):
        data[i] ^= 0xFF
    return bytes(data)


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "make",
    [
        lambda: b"nom;prenom\nSow;Awa\n",
        lambda: make_kobo_export(50)[:3000],  # cut short
        _corrupt_zip,
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000),  # an .xls
        _encrypted,
        _ods,
        lambda: _package("<row r='1'><c r='A1' t='inlineStr'><is><t>a</t></is></c"),
    ],
    ids=["text", "cut-short", "corrupt-zip", "xls", "encrypted", "ods", "broken-xml"],
)
def test_unreadable_files_are_source_errors(make):
    data = make()
    prefix = gettext("The file is not a readable XLSX workbook (%(error)s).").split("%")[0]
    with pytest.raises(SourceError) as exc:
        read_xlsx(io.BytesIO(data))
    assert str(exc.value.message).startswith(prefix)
    with pytest.raises(SourceError):
        read(io.BytesIO(data), "export.xlsx")
