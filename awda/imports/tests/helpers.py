import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from awda.imports import services

CSV_HEADER = ["given_name", "family_name", "sex", "date_of_birth", "nationality", "phone"]


def csv_bytes(rows, header=CSV_HEADER) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode()


def good_rows(n, start=0):
    return [
        [
            f"Given{i}",
            f"Family{i}",
            "F" if i % 2 else "M",
            f"{1 + i % 28:02d}/03/1990",
            "GN",
            f"+224 620 00 {i:04d}",
        ]
        for i in range(start, start + n)
    ]


def upload(user, office, data: bytes, name="people.csv", **kwargs):
    return services.import_upload(
        user, office=office, file=SimpleUploadedFile(name, data), **kwargs
    )


def run(capture, user, job, mode):
    """Request the import and run what it enqueued on commit (the eager task)."""
    with capture(execute=True):
        services.import_request(user, job=job, mode=mode)
    job.refresh_from_db()
    return job
