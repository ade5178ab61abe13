// Docs equal code: the environment variables README.md and docs/*.md name are the ones the code
// reads (both ways), and the repository paths and npm scripts they name exist. Pure: the caller
// reads the files.
import ts from 'typescript';

export interface TextFile {
  /** Repository-relative, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface Finding {
  readonly kind: 'unread-variable' | 'undocumented-variable' | 'missing-path' | 'missing-script';
  readonly name: string;
  /** `file:line` for a doc, the reading files for code. */
  readonly where: string;
}

export interface DocsCheckInput {
  /** Code that reads the environment (see `isEnvironmentSource`). */
  readonly code: readonly TextFile[];
  /** README.md and docs/*.md. */
  readonly docs: readonly TextFile[];
  /** Every file of the repository (repository-relative); directories are their prefixes. */
  readonly repoFiles: readonly string[];
  /** The npm scripts of package.json, which `npm run <script>` in a doc must name. */
  readonly scripts?: readonly string[];
  /** Whether git ignores a path: a template path (`<time>`, `*`) it ignores names generated output. */
  readonly isIgnored?: (path: string) => boolean;
  /** Variables code may read without docs naming them, each with the reason. */
  readonly undocumentedAllowed?: Readonly<Record<string, string>>;
}

/** Read by code, named by no doc, on purpose. Keep it short: each entry says why. */
export const UNDOCUMENTED_ALLOWED: Readonly<Record<string, string>> = {
  KAFKAJS_NO_PARTITIONER_WARNING:
    "kafkajs's own switch; @bus/platform sets it to silence a v1-to-v2 migration notice, nobody configures it",
  HOME: "the operating system's; the stack hands it on to Keycloak's process, nobody configures it",
};

const NAME =
  /<[A-Za-z][\w+-]*>_([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b|\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b/g;
const ASSIGNMENT = /(?:^|\s)(?:<[A-Za-z][\w+-]*>_)?[A-Z][A-Z0-9_]*=/g;
const SHELL_REFERENCE = /\$\{?([A-Z][A-Z0-9_]*)/g;
const REPO_ROOTS = ['apps/', 'libs/', 'schemas/', 'tools/', 'docs/', 'test/', 'bench/', 'stack/'];

/**
 * The code whose environment reads count: apps, libs, tools and bench, without tests and test
 * harnesses (their variables, e.g. TALLY_SETUP, pass data from a test to the child it spawns).
 */
export function isEnvironmentSource(path: string): boolean {
  return (
    /^(apps|libs|tools|bench)\//.test(path) &&
    /\.(ts|mts|cts)$/.test(path) &&
    !/\.(spec|int-spec|d)\.[mc]?ts$/.test(path) &&
    !path.split('/').includes('test')
  );
}

/** `<SECTOR>_DATABASE_URL` and `${upper}_DATABASE_URL` both become `*_DATABASE_URL`. */
function matches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[A-Z0-9_]+');
  return new RegExp(`^${body}$`).test(name);
}

function isProcessEnv(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process'
  );
}

function keyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e))
      return e.head.text + e.templateSpans.map((span) => `*${span.literal.text}`).join('');
  }
  return undefined;
}

/**
 * The variables a file reads: `process.env.X`, `process.env['X']`, `const { X } = process.env`,
 * and the upper-case keys of the `z.object({...})` schemas in a file that calls `loadConfig`
 * (a computed key such as `${upper}_DATABASE_URL` gives the pattern `*_DATABASE_URL`).
 */
export function environmentReads(file: TextFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false);
  const reads = new Set<string>();
  const schemaKeys: string[] = [];
  let loadsConfig = false;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) {
      reads.add(node.name.text);
    } else if (
      ts.isElementAccessExpression(node) &&
      isProcessEnv(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression)
    ) {
      reads.add(node.argumentExpression.text);
    } else if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      isProcessEnv(node.initializer) &&
      ts.isObjectBindingPattern(node.name)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key)) reads.add(key.text);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && callee.text === 'loadConfig') loadsConfig = true;
      const literal = node.arguments[0];
      if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'object' &&
        literal &&
        ts.isObjectLiteralExpression(literal)
      ) {
        for (const property of literal.properties) {
          const key = property.name && keyName(property.name);
          if (key && /^[A-Z*][A-Z0-9_*]*$/.test(key)) schemaKeys.push(key);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (loadsConfig) for (const key of schemaKeys) reads.add(key);
  return [...reads];
}

interface DocClaim {
  readonly name: string;
  readonly line: number;
}

export interface DocMentions {
  /** Every upper-case name in a code span, `$NAME`, or a `<PLACEHOLDER>_NAME` pattern (as `*_NAME`). */
  readonly mentioned: ReadonlySet<string>;
  /** Names the doc presents as environment variables, which code must therefore read. */
  readonly variables: readonly DocClaim[];
  /** Repository paths and file names the doc names. */
  readonly paths: readonly DocClaim[];
  /** Scripts named as `npm run <script>`. */
  readonly scripts: readonly DocClaim[];
}

function namesIn(text: string): string[] {
  return [...text.matchAll(NAME)].map((m) => (m[1] ? `*_${m[1]}` : m[2]!));
}

/** A repository path or a bare `*.ts` file name, from one whitespace-separated token of code. */
function pathOf(token: string): string | undefined {
  const clean = token.replace(/^\.\//, '').replace(/[,;:)'"]+$/, '');
  const dist = /^dist\/(.+)\.js$/.exec(clean);
  if (dist) return `${dist[1]}.ts`;
  if (REPO_ROOTS.some((root) => clean.startsWith(root))) return clean;
  if (!clean.includes('/') && /^[\w.*<>-]+\.ts$/.test(clean)) return `**/${clean}`;
  return undefined;
}

/**
 * What one markdown file says: backticked names and paths, `NAME=value` in code, `$NAME`, every
 * backticked name in a table whose first header is "variable", and the targets of relative links.
 */
export function docMentions(doc: TextFile): DocMentions {
  const mentioned = new Set<string>();
  const variables: DocClaim[] = [];
  const paths: DocClaim[] = [];
  const scripts: DocClaim[] = [];
  let fence: string | undefined;
  /** Shell variables a fenced block assigns on a line of their own (`TOKEN=$(curl …)`). */
  let shellLocals = new Set<string>();
  let variableTable = false;
  const dir = doc.path.includes('/') ? doc.path.slice(0, doc.path.lastIndexOf('/') + 1) : '';
  doc.text.split('\n').forEach((text, index) => {
    const line = index + 1;
    const fenceMark = /^\s*```(\w*)/.exec(text);
    if (fenceMark) {
      fence = fence === undefined ? fenceMark[1] || 'text' : undefined;
      shellLocals = new Set();
      return;
    }
    if (fence === 'mermaid') return;
    // A standalone assignment sets a variable of the snippet itself, not of a process.
    const local = fence ? /^\s*([A-Z][A-Z0-9_]*)=(?:\$\(|"[^"]*"\s*$|\S+\s*$)/.exec(text) : null;
    if (local) shellLocals.add(local[1]!);
    const spans = fence ? [text] : [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const isRow = !fence && text.trim().startsWith('|');
    if (!isRow) variableTable = false;
    else if (/^\|\s*variable\s*\|/i.test(text.trim())) variableTable = true;
    // Only a variable table's first column names variables; the others hold defaults.
    const firstCell = isRow ? (text.split('|')[1] ?? '') : '';
    for (const span of spans) {
      for (const name of namesIn(span)) mentioned.add(name);
      const claimed = [...span.matchAll(ASSIGNMENT)]
        .map((m) => m[0])
        .filter((m) => !shellLocals.has(m.trim().replace(/=$/, '')));
      if (
        variableTable &&
        !/^\|\s*variable\s*\|/i.test(text.trim()) &&
        firstCell.includes(`\`${span}\``)
      ) {
        const whole = /^(?:<[A-Za-z][\w+-]*>_)?[A-Z][A-Z0-9_]*(?==|$)/.exec(span.trim());
        if (whole) claimed.push(whole[0]);
      }
      for (const name of new Set(claimed.flatMap((text) => namesIn(text).slice(0, 1)))) {
        variables.push({ name, line });
      }
      for (const m of span.matchAll(/\bnpm run ([\w:-]+)/g)) scripts.push({ name: m[1]!, line });
      for (const token of span.split(/\s+/)) {
        const path = pathOf(token);
        if (path) paths.push({ name: path, line });
      }
    }
    for (const m of text.matchAll(SHELL_REFERENCE)) {
      if (shellLocals.has(m[1]!)) continue;
      mentioned.add(m[1]!);
      variables.push({ name: m[1]!, line });
    }
    if (!fence) {
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        paths.push({ name: normalise(dir + target), line });
      }
    }
  });
  return { mentioned, variables, paths, scripts };
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/') + (path.endsWith('/') ? '/' : '');
}

/** `<name>` is one segment part, `*` any characters within a segment, `{a,b}` either; a leading `**` segment any folder. */
function pathPattern(path: string): RegExp {
  const anyFolder = path.startsWith('**/');
  const body = (anyFolder ? path.slice(3) : path)
    .replace(/\/$/, '')
    .split(/(<[^>]+>|\*|\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith('<')) return '[^/]+';
      if (part === '*') return '[^/]*';
      if (part.startsWith('{'))
        return `(?:${part
          .slice(1, -1)
          .split(',')
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|')})`;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${anyFolder ? '(?:.+/)?' : ''}${body}(?:/.*)?$`);
}

export function checkDocs(input: DocsCheckInput): Finding[] {
  const allowed = input.undocumentedAllowed ?? UNDOCUMENTED_ALLOWED;
  const readers = new Map<string, string[]>();
  for (const file of input.code) {
    for (const name of environmentReads(file)) {
      readers.set(name, [...(readers.get(name) ?? []), file.path]);
    }
  }
  const read = [...readers.keys()];
  const findings: Finding[] = [];
  const mentioned = new Set<string>();
  for (const doc of input.docs) {
    const found = docMentions(doc);
    for (const name of found.mentioned) mentioned.add(name);
    for (const claim of found.variables) {
      // A concrete name needs that exact read: `${upper}_DATABASE_URL` in code cannot say which
      // prefixes exist, so it is matched only by a pattern such as `<SECTOR>_DATABASE_URL`.
      const isRead = read.some((r) => r === claim.name || matches(claim.name, r));
      if (!isRead && !(claim.name in allowed))
        findings.push({
          kind: 'unread-variable',
          name: claim.name,
          where: `${doc.path}:${claim.line}`,
        });
    }
    for (const claim of found.paths) {
      const pattern = pathPattern(claim.name);
      const template = /[<*{]/.test(claim.name.replace(/^\*\*\//, ''));
      if (template && input.isIgnored?.(claim.name)) continue;
      if (!input.repoFiles.some((file) => pattern.test(file)))
        findings.push({
          kind: 'missing-path',
          name: claim.name,
          where: `${doc.path}:${claim.line}`,
        });
    }
    for (const claim of found.scripts) {
      if (input.scripts && !input.scripts.includes(claim.name))
        findings.push({
          kind: 'missing-script',
          name: claim.name,
          where: `${doc.path}:${claim.line}`,
        });
    }
  }
  for (const [name, files] of readers) {
    const documented = name.includes('*')
      ? mentioned.has(name) || [...mentioned].some((m) => matches(name, m))
      : mentioned.has(name);
    if (!documented && !(name in allowed))
      findings.push({ kind: 'undocumented-variable', name, where: files.join(', ') });
  }
  return findings;
}

export function formatFinding(finding: Finding): string {
  switch (finding.kind) {
    case 'unread-variable':
      return `${finding.where}: names the environment variable ${finding.name}, which no code reads`;
    case 'undocumented-variable':
      return `${finding.where}: reads the environment variable ${finding.name}, which README.md and docs/*.md never name`;
    case 'missing-path':
      return `${finding.where}: names ${finding.name}, which is not in the repository`;
    case 'missing-script':
      return `${finding.where}: names npm run ${finding.name}, which package.json does not define`;
  }
}
