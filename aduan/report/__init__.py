"""The recap report (Buku Rekapitulasi Pengaduan) as xlsx, csv or html: ``aduan report``.

The numbers come from ``complaints.recap`` (pure domain), the rows from
``storage.reporting``; this package only lays them out (labels in ``bot/texts/report.py``).
"""

from .export import FORMATS, ExportResult, ReportRequest, default_name, export_report, output_paths

__all__ = ["FORMATS", "ExportResult", "ReportRequest", "default_name", "export_report", "output_paths"]
