"""Build-time code of the course site: paths, Pyodide assembly, the demo fence, the MkDocs hook, figures."""
