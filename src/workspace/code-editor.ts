// The one interface the workspace uses for "the learner's code box": a plain textarea until Monaco has loaded
// (or if it fails to load), then Monaco. Both keep Ctrl/Cmd+Z working across a reset.

/** A code box: get/set the text (undoably), follow edits, show an error position. */
export interface CodeEditor {
  kind: 'textarea' | 'monaco';
  getValue(): string;
  /** Replaces the whole text as one undoable edit. */
  setValue(text: string): void;
  onChange(listener: () => void): void;
  focus(): void;
  /** Moves the cursor to a 1-based line/column and marks it (used for syntax errors). */
  showError(line: number, column: number, message: string): void;
  clearError(): void;
  /** Settles when the language service (IntelliSense) answers for this editor (Monaco only). */
  languageReady?: Promise<void>;
}

/** Wraps the fallback textarea. */
export function textareaEditor(textarea: HTMLTextAreaElement): CodeEditor {
  return {
    kind: 'textarea',
    getValue: () => textarea.value,
    setValue(text) {
      textarea.focus();
      textarea.select();
      // execCommand keeps the browser's own undo stack; fall back to assignment where it is unavailable.
      if (!document.execCommand?.('insertText', false, text)) textarea.value = text;
      textarea.dispatchEvent(new Event('input'));
    },
    onChange: (l) => textarea.addEventListener('input', l),
    focus: () => textarea.focus(),
    showError(line, column) {
      const lines = textarea.value.split('\n');
      const pos = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      textarea.focus();
      textarea.setSelectionRange(pos, pos);
    },
    clearError() {},
  };
}
