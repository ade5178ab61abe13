import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './error-codes';

const ROOT = resolve(__dirname, '../../../..');
const REGISTRY_FILE = 'libs/platform/src/errors/error-codes.ts';
const REGISTERED = new Set<string>(Object.values(ErrorCode));
/** Looks like an error code: SCREAMING_SNAKE with at least one underscore, or INTERNAL. */
const CODE_SHAPE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^INTERNAL$/;
/** The classes whose constructor takes the code first (subclasses may take only a message). */
const CODE_FIRST = new Set([
  'BusError',
  'ValidationError',
  'RuleViolationError',
  'NotFoundError',
  'ConflictError',
  'TransientError',
  'UnauthenticatedError',
  'ForbiddenError',
]);

/**
 * Files the lead is rewriting for issue 11 (the shared Kafka loop): they still hold inline
 * codes or plain errors. Remove a line when its file is clean; the last test fails on a
 * stale line so the list cannot outlive the work.
 */

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'test' || entry.name === 'node_modules' ? [] : productionFiles(path);
    }
    return /(?<!\.spec|\.int-spec|\.d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

function sourceRoots(): string[] {
  return ['apps', 'libs'].flatMap((top) =>
    readdirSync(join(ROOT, top), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(ROOT, top, entry.name, 'src')),
  );
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

function isStringLiteral(
  node: ts.Node,
): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

/**
 * The code argument of `new ValidationError(code, …)`, of `super(code, …)` in
 * `class … extends ValidationError`, or of `classifyFailure(error, fallbackCode)`.
 */
function codeArgument(node: ts.Node): ts.Expression | undefined {
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'classifyFailure'
  ) {
    return node.arguments[1];
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    if (CODE_FIRST.has(node.expression.text)) return node.arguments?.[0];
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
    const parentClass = ts.findAncestor(node, ts.isClassDeclaration);
    const base = parentClass?.heritageClauses?.[0]?.types[0]?.expression;
    if (base && ts.isIdentifier(base) && CODE_FIRST.has(base.text)) return node.arguments[0];
  }
  return undefined;
}

/** The string literals a code expression can evaluate to (`a ? 'X' : 'Y'` gives both). */
function codeLiterals(
  node: ts.Expression,
): (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression)[] {
  if (ts.isParenthesizedExpression(node)) return codeLiterals(node.expression);
  if (ts.isConditionalExpression(node)) {
    return [...codeLiterals(node.whenTrue), ...codeLiterals(node.whenFalse)];
  }
  return isStringLiteral(node) || ts.isTemplateExpression(node) ? [node] : [];
}

/** Registered codes that some production file refers to (to find entries nothing throws). */
const usedInRepository = new Set<string>();

/** Every way a file can break the error rules, with its line; adds the codes it uses to `used`. */
function scanSource(file: string, text: string, used = new Set<string>()): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const report = (node: ts.Node, problem: string) =>
    findings.push({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      problem,
    });
  const visit = (node: ts.Node): void => {
    if (ts.isLiteralTypeNode(node)) return; // `'A' | 'B'` unions are types, not throw sites
    if (isStringLiteral(node) && REGISTERED.has(node.text)) {
      report(node, `inline code '${node.text}': write ErrorCode.${node.text}`);
    }
    const code = codeArgument(node);
    for (const literal of code ? codeLiterals(code) : []) {
      if (ts.isTemplateExpression(literal)) {
        report(literal, 'computed code: a code must be one registry entry');
      } else if (!REGISTERED.has(literal.text)) {
        report(literal, `unregistered code '${literal.text}'`);
      }
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'ErrorCode'
    ) {
      if (REGISTERED.has(node.name.text)) used.add(node.name.text);
      else report(node, `ErrorCode.${node.name.text} is not registered`);
    }
    if (isStringLiteral(node) && REGISTERED.has(node.text)) used.add(node.text);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      if (node.expression.text === 'Error') report(node, 'plain new Error: throw a BusError');
    }
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ExtendsKeyword) {
      const base = node.types[0]?.expression;
      if (base && ts.isIdentifier(base) && base.text === 'Error') {
        report(node, 'extends Error: extend a BusError subclass');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

let scanned: Finding[] | undefined;

function scanRepository(): Finding[] {
  scanned ??= sourceRoots()
    .flatMap(productionFiles)
    .map((path) => relative(ROOT, path))
    .filter((file) => file !== REGISTRY_FILE)
    .flatMap((file) => {
      const findings = scanSource(file, readFileSync(join(ROOT, file), 'utf8'), usedInRepository);
      // BusError itself is the one class allowed to extend Error.
      return file === 'libs/platform/src/errors/bus-error.ts'
        ? findings.filter((f) => !f.problem.startsWith('extends Error'))
        : findings;
    });
  return scanned;
}

/** The registry's keys as written (a runtime object would silently merge duplicates). */
function registryKeys(): string[] {
  const text = readFileSync(join(ROOT, REGISTRY_FILE), 'utf8');
  const source = ts.createSourceFile(REGISTRY_FILE, text, ts.ScriptTarget.Latest, true);
  const keys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'ErrorCode'
    ) {
      let init = node.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) {
        init = init.expression;
      }
      if (init && ts.isObjectLiteralExpression(init)) {
        for (const property of init.properties) keys.push(property.name?.getText(source) ?? '?');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

describe('ErrorCode registry', () => {
  it('has each code once, keyed by itself, in the error-code shape', () => {
    const keys = registryKeys();
    expect(keys.length).toBeGreaterThan(50);
    expect(duplicates(keys)).toEqual([]);
    const values = Object.values(ErrorCode);
    expect(duplicates(values)).toEqual([]);
    expect(Object.entries(ErrorCode).filter(([key, value]) => key !== value)).toEqual([]);
    expect(values.filter((value) => !CODE_SHAPE.test(value))).toEqual([]);
  });

  it('finds inline, unregistered and computed codes, and plain errors', () => {
    const planted = [
      "throw new ValidationError('CITIZEN_NOT_FOUND', 'x');",
      "throw new ConflictError('NOT_IN_THE_REGISTRY', 'x');",
      'throw new NotFoundError(`REGISTRY_${status}`, "x");',
      "class Mine extends ValidationError { constructor() { super('ALSO_NOT_REGISTERED', 'x'); } }",
      'throw new ConflictError(ErrorCode.NOT_IN_THE_REGISTRY, "x");',
      "throw new Error('boom');",
      'class Failure extends Error {}',
      "type Reason = 'CITIZEN_NOT_FOUND' | 'OTHER';",
      "classifyFailure(error, ready ? ErrorCode.BOOT_FAILED : 'NOT_IN_THE_REGISTRY_EITHER');",
      'throw new ConflictError(ErrorCode.CITIZEN_NOT_FOUND, "fine");',
    ].join('\n');
    expect(scanSource('planted.ts', planted).map((f) => `${f.line}: ${f.problem}`)).toEqual([
      "1: inline code 'CITIZEN_NOT_FOUND': write ErrorCode.CITIZEN_NOT_FOUND",
      "2: unregistered code 'NOT_IN_THE_REGISTRY'",
      '3: computed code: a code must be one registry entry',
      "4: unregistered code 'ALSO_NOT_REGISTERED'",
      '5: ErrorCode.NOT_IN_THE_REGISTRY is not registered',
      '6: plain new Error: throw a BusError',
      '7: extends Error: extend a BusError subclass',
      "9: unregistered code 'NOT_IN_THE_REGISTRY_EITHER'",
    ]);
  });

  it('covers every code thrown in production code', () => {
    const findings = scanRepository();
    expect(findings.map((f) => `${f.file}:${f.line} ${f.problem}`)).toEqual([]);
  });

  it('registers only codes that production code uses', () => {
    scanRepository();
    expect([...REGISTERED].filter((code) => !usedInRepository.has(code))).toEqual([]);
  });
});
