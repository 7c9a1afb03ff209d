"""The one write path of imports (see docs/imports.md):

import_upload / import_pull  ->  job (uploaded), mapping suggested or from the saved source
import_mapping_save          ->  the job's mapping (and the source's, for the next files)
import_preview               ->  every row validated; counts and errors on the job
import_request               ->  queued; the task (tasks.run_import) runs import_run
import_run -> import_commit  ->  one transaction: cases, persons, documents, members, keys
import_open_rejected         ->  the rejected-rows file (valid-rows-only imports)
import_purge                 ->  files of old jobs deleted
"""

from .commit import (
    IMPORT_COMPLETED,
    IMPORT_FAILED,
    IMPORT_REQUESTED,
    fail_if_stalled,
    import_commit,
    import_request,
    import_run,
)
from .files import import_open_rejected, import_purge, rejected_download_name
from .jobs import (
    IMPORT_UPLOADED,
    import_mapping_save,
    import_pull,
    import_upload,
    kobo_client_for,
    source_create,
    source_delete,
    source_update,
)
from .preview import import_errors, import_preview

__all__ = [
    "IMPORT_COMPLETED",
    "IMPORT_FAILED",
    "IMPORT_REQUESTED",
    "IMPORT_UPLOADED",
    "fail_if_stalled",
    "import_commit",
    "import_errors",
    "import_mapping_save",
    "import_open_rejected",
    "import_preview",
    "import_pull",
    "import_purge",
    "import_request",
    "import_run",
    "import_upload",
    "kobo_client_for",
    "rejected_download_name",
    "source_create",
    "source_delete",
    "source_update",
]
