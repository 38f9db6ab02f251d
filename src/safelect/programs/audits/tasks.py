"""Background jobs of audits: reading an uploaded ballot manifest or cast-vote-record file."""

from procrastinate.contrib.django import app


@app.task(name="audits.process_upload")
def process_upload_job(upload_id: int) -> None:
    """Process one uploaded file (safe to run twice)."""
    from .services import process_upload

    process_upload(upload_id)
