"""The 繁體中文 (zh-Hant) edition, generated at build time from the one Simplified source.

* :mod:`.convert` — the one converter (OpenCC ``s2twp`` + the glossary's course terms +
  ``phrases.tsv``), used for prose, glossary, demos' strings, JS UI strings and figure text;
* :mod:`.terms` — the inline term syntax ``[[mainland|course|English]]`` (both editions);
* :mod:`.markdown` — a chapter's Markdown converted to zh-Hant;
* :mod:`.demos_variant` — the demos package converted string literal by string literal (AST);
* :mod:`.jsstrings` — string literals of assets/js converted with a JavaScript tokenizer;
* :mod:`.site` — the second MkDocs config, built into ``site/zh-Hant/`` by the same build;
* :mod:`.migrate_terms` — rewrites the old 「（课程中称「…」，English）」 pattern into the syntax.
"""
