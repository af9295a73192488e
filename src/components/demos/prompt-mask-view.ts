// Structured prompt masks: roles → engine promptBoundaryMask → grid view (shared by build and client).
import { promptBoundaryMask, toNested, type PromptBoundaryRules, type Role } from '../../engine';

export const PM_ROLES: Role[] = ['system', 'user', 'tool', 'assistant', 'pad'];
export const PM_PRESETS: Record<string, { label: string; roles: Role[] }> = {
  tool: { label: 'Chat with one tool call', roles: ['system', 'system', 'user', 'user', 'user', 'assistant', 'tool', 'tool', 'tool', 'assistant', 'assistant', 'assistant'] },
  twoTools: { label: 'Two tool results', roles: ['system', 'system', 'user', 'user', 'tool', 'tool', 'assistant', 'tool', 'tool', 'assistant', 'assistant', 'pad'] },
  turns: { label: 'Two chat turns, padded', roles: ['system', 'user', 'user', 'assistant', 'assistant', 'user', 'user', 'assistant', 'assistant', 'pad', 'pad', 'pad'] },
};
export interface PMState {
  roles: Role[];
  isolateTool: boolean;
  systemOnlySystem: boolean;
  toolOnlySystem: boolean;
}
export const PM_DEFAULT: PMState = { roles: PM_PRESETS.tool.roles, isolateTool: true, systemOnlySystem: true, toolOnlySystem: true };

export function rulesOf(s: PMState): PromptBoundaryRules {
  const all: Role[] = ['system', 'user', 'tool', 'assistant'];
  return {
    causal: true,
    isolate: s.isolateTool ? ['tool'] : [],
    sees: { system: s.systemOnlySystem ? ['system'] : all, tool: s.toolOnlySystem ? ['system', 'tool'] : all },
  };
}

export function renderPM(s: PMState): string {
  const m = toNested(promptBoundaryMask(s.roles, rulesOf(s))) as number[][];
  const T = s.roles.length;
  const abbr: Record<Role, string> = { system: 'S', user: 'U', tool: 'T', assistant: 'A', pad: '·' };
  const head = `<tr><th scope="col"><span class="pm-sr">query \\ key</span></th>${s.roles.map((r, j) => `<th scope="col" class="pm-role-${r}" title="key ${j}: ${r}">${abbr[r]}<br>${j}</th>`).join('')}<th scope="col">sees</th></tr>`;
  const body = m
    .map((row, i) => `<tr><th scope="row" class="pm-role-${s.roles[i]}">${i} ${s.roles[i]}</th>${row.map((x, j) => `<td class="${x ? `pm-on pm-role-${s.roles[j]}` : j > i ? 'pm-future' : 'pm-off'}" data-i="${i}" data-j="${j}" data-keep="${x}" title="${s.roles[i]} ${i} ${x ? 'sees' : 'does not see'} ${s.roles[j]} ${j}">${x ? '●' : ''}</td>`).join('')}<td class="pm-count">${row.reduce((a, b) => a + b, 0)}</td></tr>`)
    .join('');
  const total = m.flat().reduce((a, b) => a + b, 0);
  const causal = (T * (T + 1)) / 2;
  return `<div class="pm-scroll"><table class="pm-grid" data-mask="${m.map((r) => r.join('')).join('|')}"><caption>Rows are queries, columns keys; ● = visible (the cell takes the key's role colour). ${total} of ${causal} causal pairs are kept.</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}
