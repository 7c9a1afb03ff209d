"""The indicator pack (docs/indicators.md): one selector per indicator (returns, vulnerable,
assistance, lead_time, reintegration, reintegration_assistance, sustainability, spending), each
taking (user, filters) and returning an IndicatorTable; the registry maps the codes to them, and
the dashboard, the API, the CSV/XLSX/HXL downloads and the donor reports all go through
registry.compute()."""
