"""The register: its entries kept in step with cases, a council's own spreadsheet checked and imported, and
the downloads made from it (LA 2011 ss.87, 93, 97; ACV Regs reg.2)."""
