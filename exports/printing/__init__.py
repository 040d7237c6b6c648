"""Printing: a guide's PDF, its materials checklist (一次性告知单) and booklets (办事指南汇编) for a hall,
window, department or topic, all from `PrintedGuide`, which reads the declared guide (content.guide).

It reads content only; it knows nothing of the catalog exchange (exports.catalog) or the open data
(exports.opendata), and they know nothing of it (tests/exports/test_layers.py).
"""
