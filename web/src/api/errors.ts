// What an API refusal says, sorted for a form: problems that name a field go next to it,
// the rest above the submit button. No I/O: unit-tested in tests/errors.test.ts.

/** One problem with one field, as FastAPI/pydantic (or a service's own refusal) reports it. */
export interface Problem {
  type: string;
  msg: string;
  ctx?: Record<string, unknown>;
}

/** A refusal sorted into field problems (keyed by a form's field names) and general ones. */
export interface Sorted {
  fields: Record<string, Problem>;
  general: string[];
}

interface PydanticError {
  loc?: unknown[];
  msg?: string;
  type?: string;
  ctx?: Record<string, unknown>;
}

/** The path of a 422 `loc` as a form names fields: ["body","window","end"] → "window.end". */
export function pathOf(loc: unknown[]): string {
  const parts = loc.map(String);
  const from = ["body", "query", "path", "header"].includes(parts[0] ?? "") ? 1 : 0;
  return parts.slice(from).join(".");
}

/** The form field a path belongs to: itself, else its nearest parent the form has. */
export function fieldFor(path: string, known: readonly string[]): string | null {
  for (let parts = path.split("."); parts.length > 0 && parts[0] !== ""; parts = parts.slice(0, -1)) {
    const candidate = parts.join(".");
    if (known.includes(candidate)) return candidate;
  }
  return null;
}

const cleaned = (msg: string) => msg.replace(/^Value error, /, "").replace(/^Assertion failed, /, "");

/** A service's own message that names its field first ("chosen: …", "answer to 'attendees' …"). */
function fieldOfMessage(message: string): [string, string] | null {
  const answer = /^answer to '([a-z][a-z0-9_]*)'/.exec(message);
  if (answer) return [`answers.${answer[1]}`, message];
  const asks = /asks no question '([a-z][a-z0-9_]*)'/.exec(message);
  if (asks) return [`answers.${asks[1]}`, message];
  const named = /^([a-z_][a-z0-9_.]*): (.+)$/s.exec(message);
  return named ? [named[1], named[2]] : null;
}

/** Sort the `detail` of an error reply into the form's fields (``known``) and the rest. */
export function sortDetail(detail: unknown, known: readonly string[]): Sorted {
  const sorted: Sorted = { fields: {}, general: [] };
  const put = (path: string, problem: Problem, whole: string) => {
    const field = fieldFor(path, known);
    if (field && !(field in sorted.fields)) sorted.fields[field] = problem;
    else if (!field) sorted.general.push(whole);
  };
  if (Array.isArray(detail)) {
    for (const raw of detail as PydanticError[]) {
      const path = pathOf(raw.loc ?? []);
      const problem = { type: raw.type ?? "value_error", msg: cleaned(raw.msg ?? ""), ctx: raw.ctx };
      put(path, problem, path ? `${path}: ${problem.msg}` : problem.msg);
    }
  } else if (typeof detail === "string") {
    const named = fieldOfMessage(detail);
    if (named && fieldFor(named[0], known)) put(named[0], { type: "refused", msg: named[1] }, detail);
    else sorted.general.push(detail);
  } else if (detail !== undefined && detail !== null) {
    sorted.general.push(JSON.stringify(detail));
  }
  return sorted;
}
