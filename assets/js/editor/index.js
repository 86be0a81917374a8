// The code editor used by the 代码 panel and by exercises: CodeMirror 6 with
// Python highlighting, line numbers, bracket matching, undo, search, and a
// theme that reads Material's CSS variables, so it follows the light/dark
// palette without knowing which one is active.
//
// This file imports bare npm specifiers; scripts/editor_bundle.py bundles it
// with esbuild into one self-hosted ES module (assets/vendor/editor/editor.js
// on the site).  Pages never import it directly: editor-loader.js does, the
// first time a reader opens an editor.
//
// Keyboard: Tab indents (indentWithTab).  To leave the editor with the
// keyboard, press Escape and then Tab (CodeMirror's documented "tab focus
// mode"); Ctrl/Cmd+Enter runs.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  LanguageSupport,
  syntaxHighlighting,
} from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// What CodeMirror's basicSetup has, minus autocompletion, folding, lint and
// rectangular selection: less code to fetch and parse on first open.
const setup = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  indentOnInput(),
  bracketMatching(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
];

// Colours are Material's own variables (see Material's _colors / code styles).
const theme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.75rem",
    border: "1px solid var(--md-default-fg-color--lightest)",
    borderRadius: "0.2rem",
  },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)" },
  ".cm-scroller": {
    fontFamily: "var(--md-code-font-family, monospace)",
    lineHeight: "1.5",
    maxHeight: "min(32rem, 70vh)",
    overflow: "auto",
  },
  ".cm-content": { caretColor: "var(--md-default-fg-color)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-default-fg-color)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
  },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-default-fg-color--light)",
    borderRight: "1px solid var(--md-default-fg-color--lightest)",
  },
  ".cm-activeLine": { backgroundColor: "var(--md-default-fg-color--lightest)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--md-default-fg-color--lightest)" },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
    outline: "1px solid var(--md-accent-fg-color)",
  },
  ".cm-errorLine": { backgroundColor: "rgba(211, 47, 47, 0.16)" },
  ".cm-panels": { backgroundColor: "var(--md-default-bg-color)", color: "var(--md-default-fg-color)" },
  ".cm-panels input, .cm-panels button": { fontSize: "0.7rem" },
  ".cm-tooltip": {
    backgroundColor: "var(--md-default-bg-color)",
    color: "var(--md-default-fg-color)",
    border: "1px solid var(--md-default-fg-color--lighter)",
  },
  // Phones: 16px stops iOS zooming in on focus; big enough to tap a line.
  "@media (max-width: 600px)": { "&": { fontSize: "16px" } },
});

const highlight = HighlightStyle.define([
  {
    tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword],
    color: "var(--md-code-hl-keyword-color)",
  },
  { tag: [t.string, t.special(t.string)], color: "var(--md-code-hl-string-color)" },
  { tag: [t.number, t.bool, t.null], color: "var(--md-code-hl-number-color)" },
  { tag: [t.comment, t.lineComment], color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: "var(--md-code-hl-function-color)" },
  { tag: [t.definition(t.variableName), t.className], color: "var(--md-code-hl-name-color)" },
  { tag: [t.operator, t.punctuation], color: "var(--md-code-hl-operator-color)" },
  { tag: [t.constant(t.variableName), t.standard(t.variableName)], color: "var(--md-code-hl-constant-color)" },
  { tag: t.invalid, color: "#d32f2f" },
]);

// The marked error line: a line decoration (.cm-errorLine) whose title is the message.
const setErrorLine = StateEffect.define(); // {from, message} or null
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setErrorLine)) {
        deco =
          e.value === null
            ? Decoration.none
            : Decoration.set([
                Decoration.line({
                  class: "cm-errorLine",
                  attributes: { title: e.value.message, "aria-invalid": "true" },
                }).range(e.value.from),
              ]);
      }
    }
    return tr.docChanged ? Decoration.none : deco; // any edit clears the mark
  },
  provide: (f) => EditorView.decorations.from(f),
});

/**
 * Create an editor inside `parent`.
 * `doc`: initial text; `onChange(text)`: after every edit; `onRun()`: Ctrl/Cmd+Enter;
 * `label`: the accessible name of the text area.
 */
export function createEditor(parent, { doc = "", onChange, onRun, label = "代码编辑器" } = {}) {
  let silent = false; // setValue does not count as the reader's edit
  const runKey = {
    key: "Mod-Enter",
    run: () => {
      if (!onRun) return false;
      onRun();
      return true;
    },
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        keymap.of([runKey]),
        setup,
        new LanguageSupport(pythonLanguage),
        theme,
        syntaxHighlighting(highlight),
        errorLine,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent && onChange) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: String(text) } });
      } finally {
        silent = false;
      }
    },
    /** Mark 1-based `line` as wrong with `message` (its title, shown on hover), and scroll to it. */
    markError(line, message) {
      const doc = view.state.doc;
      const n = Math.min(Math.max(1, Math.trunc(Number(line)) || 1), doc.lines);
      const from = doc.line(n).from;
      view.dispatch({
        effects: [
          setErrorLine.of({ from, message: String(message) }),
          EditorView.scrollIntoView(from, { y: "center" }),
        ],
      });
    },
    clearMarks() {
      view.dispatch({ effects: setErrorLine.of(null) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
