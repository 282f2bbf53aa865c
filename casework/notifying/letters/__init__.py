"""Letters by post: the words of a notice laid out as a print-ready A4 PDF for a windowed envelope."""
