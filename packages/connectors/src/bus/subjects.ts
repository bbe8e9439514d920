/** Subjects are dot-separated tokens of letters, digits, `-` and `_` (`orders.placed`). */
const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Throws a `TypeError` naming the problem when `subject` is not a publishable subject. */
export function checkSubject(subject: string): void {
  if (!subject.split('.').every((token) => TOKEN.test(token))) {
    throw new TypeError(
      `'${subject}' is not a valid subject: use dot-separated tokens of letters, digits, '-' and '_'`,
    );
  }
}

/** Throws when `pattern` is not a subject, possibly with `*` tokens and a final `>`. */
export function checkPattern(pattern: string): void {
  const tokens = pattern.split('.');
  tokens.forEach((token, i) => {
    if (TOKEN.test(token) || token === '*' || (token === '>' && i === tokens.length - 1)) return;
    throw new TypeError(
      `'${pattern}' is not a valid subscription subject: dot-separated tokens, '*' for one token, a final '>' for the rest`,
    );
  });
}

/** True when a subject matches a pattern (`*` one token, a final `>` one or more). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** A group name as brokers accept it in consumer and queue names (`order-service_payments`). */
export function safeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === '') throw new TypeError('a subscription group needs a name');
  return safe;
}
