// Monaco, loaded only when a workspace is about to be seen: the tree-shakeable API plus the editor features a
// learner uses, the TypeScript language service with the exercise's types, and workers built by Vite.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/typescript/register';
import { ModuleKind, ModuleResolutionKind, ScriptTarget, getTypeScriptWorker, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/codeAction/browser/codeActionContributions';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/folding/browser/folding';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/indentation/browser/indentation';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/parameterHints/browser/parameterHints';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/editor/common/standaloneStrings';
// Services that some of the features above expect to exist.
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache';
import 'monaco-editor/editor/common/services/treeViewsDndService';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import learnerTypes from '../../exercises/learner.d.ts?raw';
import type { CodeEditor } from './code-editor';

const exerciseTypes = import.meta.glob<string>('../../exercises/*/types.d.ts', { query: '?raw', import: 'default' });

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

/** Learner code runs in a worker with console captured; the editor should know `console` (lib is ES2022 only). */
const CONSOLE_LIB = `declare var console: {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void;
};`;

/** vs-dark with comments readable at the course's contrast (4.5:1 at least). */
const DARK_THEME = 'amm-dark';

let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  // Mirrors exercises/tsconfig.json: strict ES2022, no DOM, no Node, global learner types.
  typescriptDefaults.setCompilerOptions({
    target: ScriptTarget.ESNext,
    module: ModuleKind.ESNext,
    moduleResolution: ModuleResolutionKind.NodeJs,
    lib: ['es2022'],
    types: [],
    strict: true,
    noEmit: true,
    isolatedModules: true,
    allowNonTsExtensions: true,
  });
  typescriptDefaults.addExtraLib(learnerTypes, 'file:///exercises/learner.d.ts');
  typescriptDefaults.addExtraLib(CONSOLE_LIB, 'file:///exercises/console.d.ts');
  // vs-dark's comments (#608b4e on #1e1e1e) have a contrast of 4.2:1; this green has 5.0:1.
  monaco.editor.defineTheme(DARK_THEME, { base: 'vs-dark', inherit: true, rules: [{ token: 'comment', foreground: '6a9955' }], colors: {} });
  const dark = () => document.documentElement.dataset.theme !== 'light';
  monaco.editor.setTheme(dark() ? DARK_THEME : 'vs');
  // Follow Starlight's theme switch.
  new MutationObserver(() => monaco.editor.setTheme(dark() ? DARK_THEME : 'vs')).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}

const loadedTypes = new Set<string>();
async function addExerciseTypes(slug: string): Promise<void> {
  if (loadedTypes.has(slug)) return;
  loadedTypes.add(slug);
  const load = exerciseTypes[`../../exercises/${slug}/types.d.ts`];
  if (load) typescriptDefaults.addExtraLib(await load(), `file:///exercises/${slug}/types.d.ts`);
}

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  language: 'typescript',
  automaticLayout: true,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  fontSize: 14,
  tabSize: 2,
  fixedOverflowWidgets: true,
  accessibilitySupport: 'auto',
};

/** Replaces the fallback textarea inside `box` with Monaco holding the same text; `run` is bound to Ctrl/Cmd+Enter. */
export async function createMonacoEditor(
  box: HTMLElement,
  slug: string,
  text: string,
  ariaLabel: string,
  run: () => void,
): Promise<CodeEditor> {
  configure();
  await addExerciseTypes(slug);
  const uri = monaco.Uri.parse(`file:///exercises/${slug}/answer.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'typescript', uri);
  model.setValue(text);
  const host = document.createElement('div');
  host.className = 'amm-ws__monaco';
  box.append(host);
  const editor = monaco.editor.create(host, { ...OPTIONS, model, ariaLabel });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
  const listeners: (() => void)[] = [];
  model.onDidChangeContent(() => listeners.forEach((l) => l()));
  return {
    kind: 'monaco',
    languageReady: languageReady(model),
    getValue: () => model.getValue(),
    setValue(next) {
      editor.pushUndoStop();
      editor.executeEdits('workspace', [{ range: model.getFullModelRange(), text: next, forceMoveMarkers: true }]);
      editor.pushUndoStop();
    },
    onChange: (l) => listeners.push(l),
    focus: () => editor.focus(),
    showError(line, column, message) {
      monaco.editor.setModelMarkers(model, 'run', [
        { startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: column + 1, message, severity: monaco.MarkerSeverity.Error },
      ]);
      editor.revealLineInCenter(line);
      editor.setPosition({ lineNumber: line, column });
    },
    // Setting markers, even none, redraws the editor's lines: only when a Run's error is shown, since a redraw at
    // the click would hold up the page's thread just when the Run's answers come back.
    clearError() {
      if (monaco.editor.getModelMarkers({ resource: uri, owner: 'run' }).length > 0) monaco.editor.setModelMarkers(model, 'run', []);
    },
  };
}

/** Resolves once the TypeScript worker has checked `model`: from then on completions and errors answer at once. */
async function languageReady(model: monaco.editor.ITextModel): Promise<void> {
  // Monaco sets the TypeScript worker up when it first meets the language, which can happen after this call:
  // until then it answers "TypeScript not registered!" (a race seen in 2 of 8 page loads), so ask again.
  for (let attempt = 0, wait = 25; ; attempt++, wait = Math.min(wait * 2, 1000)) {
    try {
      const worker = await (await getTypeScriptWorker())(model.uri);
      await worker.getSemanticDiagnostics(model.uri.toString());
      return;
    } catch (e) {
      if (!/not registered/.test(String(e)) || attempt >= 60) throw e;
      await new Promise((done) => setTimeout(done, wait));
    }
  }
}

/** A read-only Monaco view (the revealed solution), separate from the learner's model. */
export function createReadOnlyView(box: HTMLElement, slug: string, text: string): void {
  configure();
  const uri = monaco.Uri.parse(`file:///solutions/${slug}/solution.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'typescript', uri);
  monaco.editor.create(box, { ...OPTIONS, model, readOnly: true, ariaLabel: 'Reference solution (read-only)' });
}
