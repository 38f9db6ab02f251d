"""A program's allocation table as CSV, XLSX and PDF, written through the kernel's export helper
(formula-safe cells). Every file carries the citation, the amount and the assumptions, so a table
never travels without the readings it rests on."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from safelect.core.exports import csv_bytes, pdf_bytes, xlsx_append

from .models import Program

HEADER = ["State", "Name", "Applicant", "Amount (dollars)", "Raised to floor", "Terms"]


def _rows(program: Program) -> list[list]:
    table = program.allocation or {}
    rows = []
    for line in table.get("allocations", []):
        terms = "; ".join(f"{k}={v}" for k, v in line.get("terms", {}).items() if v is not None)
        rows.append(
            [
                line["state"],
                line["name"],
                line.get("applicant", ""),
                line["amount"],
                "yes" if line.get("terms", {}).get("raised_to_floor") else "",
                terms,
            ]
        )
    return rows


def _preamble(program: Program) -> list[list]:
    table = program.allocation or {}
    return [
        [program.reference, program.title],
        [table.get("citation", ""), f"{table.get('formula', '')}: ${table.get('amount', 0):,} allocated, total ${table.get('total', 0):,}"],
        [
            "Status",
            program.get_status_display()
            + (f", frozen {program.published_at:%Y-%m-%d}" if program.published_at else " (draft: not frozen)"),
        ],
    ]


def allocation_csv(program: Program) -> bytes:
    table = program.allocation or {}
    rows = [*_preamble(program), [], HEADER, *_rows(program), []]
    rows += [["Not allocated", e["state"], e.get("applicant", ""), e["reason"]] for e in table.get("excluded", [])]
    rows += [["Assumption", text] for text in table.get("assumptions", [])]
    return csv_bytes(rows)


def allocation_xlsx(program: Program) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Allocation"
    for row in _preamble(program):
        xlsx_append(sheet, row)
    xlsx_append(sheet, [])
    xlsx_append(sheet, HEADER)
    for row in _rows(program):
        xlsx_append(sheet, row)
    notes = book.create_sheet("Assumptions")
    for text in (program.allocation or {}).get("assumptions", []):
        xlsx_append(notes, [text])
    for left in (program.allocation or {}).get("excluded", []):
        xlsx_append(notes, [f"Not allocated: {left['state']} — {left['reason']}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def allocation_pdf(program: Program) -> bytes:
    html = render_to_string(
        "grants/allocation_pdf.html", {"program": program, "table": program.allocation or {}, "printed": timezone.now()}
    )
    return pdf_bytes(html)
