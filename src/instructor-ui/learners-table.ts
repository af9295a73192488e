// The learners table of the instructor page: sortable by name, total and each exercise (buttons in the column
// heads, aria-sort says the order), filtered by what an instructor looks for and searched by name or file.
import type { InstructorReport, LearnerReport } from '../../instructor/report/schema';
import { data, el, learnerLink, pts, table, td } from './dom';

/** Filters of the learners table. */
export const FILTERS = {
  all: 'all learners',
  findings: 'with an integrity finding',
  problems: 'with a problem in the file',
  incomplete: 'missing an exercise',
  'not-full': 'without full marks',
} as const;
export type Filter = keyof typeof FILTERS;

/** A sort key: "name", "total" or an exercise id. */
type Key = string;

function value(l: LearnerReport, key: Key): number | string {
  if (key === 'name') return l.learner.toLocaleLowerCase();
  if (key === 'total') return l.total.points;
  const e = l.exercises.find((x) => x.exerciseId === key);
  // Not submitted sorts below a submitted 0.
  return e?.submitted ? e.result.total.points + (e.manualPoints ?? 0) : -1;
}

/** Whether learner `l` passes the filter (`flagged` holds the files with an integrity finding). */
export function matches(l: LearnerReport, filter: Filter, search: string, flagged: Set<string>): boolean {
  const q = search.trim().toLocaleLowerCase();
  if (q && !l.learner.toLocaleLowerCase().includes(q) && !l.file.toLocaleLowerCase().includes(q)) return false;
  switch (filter) {
    case 'findings': return flagged.has(l.file);
    case 'problems': return l.issues.length > 0;
    case 'incomplete': return l.exercises.some((e) => !e.submitted);
    case 'not-full': return l.total.points < l.total.maxPoints;
    default: return true;
  }
}

/** The learners table with its search box and filter. */
export function learnersTable(r: InstructorReport): HTMLElement {
  const flagged = new Set(r.integrity.flatMap((f) => f.files));
  const order = r.learners.map((_, i) => i);
  let sortKey: Key | null = null;
  let ascending = true;

  const heads: { key: Key; label: string }[] = [{ key: 'name', label: 'learner' }, ...r.exercises.map((e) => ({ key: e.id, label: e.id })), { key: 'total', label: 'total' }];
  const ths = heads.map(({ key, label }) => {
    const b = data(el('button', 'amm-sort', label) as HTMLButtonElement, { sort: key });
    b.type = 'button';
    b.setAttribute('aria-label', `Sort by ${key === 'name' ? 'learner name' : key === 'total' ? 'total points' : `exercise ${key}`}`);
    const th = el('th', null, b);
    th.setAttribute('aria-sort', 'none');
    return th;
  });
  const box = table('Points per learner and exercise', [...ths, 'problems'], r.learners.map((l, i) => [
    learnerLink(l.learner, i),
    ...r.exercises.map((ex) => {
      const e = l.exercises.find((x) => x.exerciseId === ex.id);
      return td({ ex: ex.id }, e?.submitted ? pts(e.result.total.points + (e.manualPoints ?? 0)) : '—');
    }),
    td({ total: pts(l.total.points) }, `${pts(l.total.points)} / ${pts(l.total.maxPoints)}`),
    [...(flagged.has(l.file) ? ['integrity finding'] : []), ...l.issues.map((x) => x.message)].join('; '),
  ]), (i) => ({ learnerRow: String(i) }));
  const tbody = box.querySelector('tbody')!;
  const rows = [...tbody.querySelectorAll<HTMLTableRowElement>('tr')];

  const search = data(el('input', null) as HTMLInputElement, { search: '' });
  search.type = 'search';
  search.id = 'amm-learner-search';
  const filter = data(el('select', null) as HTMLSelectElement, { filter: '' });
  filter.id = 'amm-learner-filter';
  for (const [k, label] of Object.entries(FILTERS)) {
    const o = el('option', null, label) as HTMLOptionElement;
    o.value = k;
    filter.append(o);
  }
  const shown = data(el('p', 'amm-small', ''), { shown: '' });
  shown.setAttribute('role', 'status');
  const searchLabel = el('label', null, 'Search by name or file ');
  searchLabel.setAttribute('for', search.id);
  const filterLabel = el('label', null, 'Show ');
  filterLabel.setAttribute('for', filter.id);

  const apply = () => {
    let n = 0;
    for (const i of order) {
      const ok = matches(r.learners[i], filter.value as Filter, search.value, flagged);
      rows[i].hidden = !ok;
      if (ok) n++;
      tbody.append(rows[i]);
    }
    shown.dataset.shown = String(n);
    shown.textContent = `Showing ${n} of ${r.learners.length} learners.`;
  };
  const sortBy = (key: Key) => {
    ascending = sortKey === key ? !ascending : key === 'name';
    sortKey = key;
    order.sort((a, b) => {
      const [x, y] = [value(r.learners[a], key), value(r.learners[b], key)];
      const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
      return (ascending ? c : -c) || a - b;
    });
    ths.forEach((th, i) => th.setAttribute('aria-sort', heads[i].key === key ? (ascending ? 'ascending' : 'descending') : 'none'));
    apply();
  };
  for (const th of ths) th.querySelector('button')!.addEventListener('click', (e) => sortBy((e.currentTarget as HTMLElement).dataset.sort!));
  search.addEventListener('input', apply);
  filter.addEventListener('change', apply);
  apply();
  return el('div', null, el('div', 'amm-table-controls', el('p', null, searchLabel, search), el('p', null, filterLabel, filter)), shown, box);
}
