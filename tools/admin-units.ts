// Rebuilds and checks the commune data of @bus/contracts from its official sources.
//
//   node tools/admin-units.ts check                      verify the shipped files (no network)
//   node tools/admin-units.ts build --splits <file>      rebuild both files
//
// Sources (pinned by commit and SHA-256; see docs/contracts.md):
// - NSO dispatch 1027/CTK-CSCL, Annex I (the 3,321 commune codes of Decision 19/2025/QĐ-TTg),
//   vendored as data/sources/1027_CTK-CSCL.md from github.com/dvhcvn/20250701.
// - The official number of communes per province, from the closing clause of each
//   resolution 1654-1687/NQ-UBTVQH15 (data/sources/commune-totals.json).
// - The old-to-new commune mapping mapping/splits.json of the same repository (2.3 MB, not
//   vendored: pass a copy with --splits), with the corrections in
//   data/sources/legacy-commune-corrections.json.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.ts';

const DATA = join(ROOT, 'libs/contracts/src/domain/admin-units/data');
const SOURCES = join(DATA, 'sources');
const COMMUNES_FILE = join(DATA, 'communes-2025.json');
const LEGACY_FILE = join(DATA, 'legacy-communes-2025.json');

const UPSTREAM = {
  repository: 'https://github.com/dvhcvn/20250701',
  commit: 'dd94887ce32324380bc5bb0a76fe39867dafc73b',
  licence:
    'MIT (data/sources/LICENSE-dvhcvn-20250701.txt); the dispatch itself is an official document',
};
const DISPATCH = {
  path: 'input/docs/1027_CTK-CSCL.md',
  vendored: 'libs/contracts/src/domain/admin-units/data/sources/1027_CTK-CSCL.md',
  sha256: '4184bd23622fd2befa98907fad6c07864535b3e7f13f5bbbb0ecd16afcb4c0dc',
};
const SPLITS = {
  path: 'mapping/splits.json',
  sha256: '335cc8907764e63e31f8603f9b46287d21f3916b00695fdcfe9371907aad5aa2',
};

interface Row {
  readonly code: string;
  readonly name: string;
}
type ByProvince<T> = Record<string, T>;

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const clean = (cell: string) =>
  cell.replace(/<br>/g, ' ').replace(/\s+/g, ' ').trim().normalize('NFC');

function fail(message: string): never {
  console.error(`admin-units: ${message}`);
  process.exit(1);
}

function provinceCodeByName(): Map<string, string> {
  const { provinces } = readJson<{ provinces: { code: string; name: string }[] }>(
    join(DATA, 'provinces-2025.json'),
  );
  // The annex writes "Tp Hồ Chí Minh" where the province list says "Thành phố Hồ Chí Minh".
  return new Map(
    provinces.map((p) => [p.name.replace(/^Thành phố /, 'Tp ').toLowerCase(), p.code]),
  );
}

/** Annex rows `| Stt | Mã số | Tên | Tỉnh |`, numbered 1..3321 without gaps. */
function parseDispatch(markdown: string): ByProvince<Row[]> {
  const provinces = provinceCodeByName();
  const communes: ByProvince<Row[]> = {};
  const seen = new Set<string>();
  let expected = 1;
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').slice(1, -1).map(clean);
    if (cells.length !== 4 || !/^\d+$/.test(cells[0]!)) continue;
    const [stt, code, name, province] = cells as [string, string, string, string];
    if (Number(stt) !== expected++) fail(`row ${stt} out of sequence (expected ${expected - 1})`);
    if (!/^\d{5}$/.test(code)) fail(`row ${stt}: code ${code} is not 5 digits`);
    if (seen.has(code)) fail(`row ${stt}: code ${code} appears twice`);
    seen.add(code);
    const provinceCode = provinces.get(province.replace(/^Thành phố /, 'Tp ').toLowerCase());
    if (provinceCode === undefined) fail(`row ${stt}: unknown province ${province}`);
    (communes[provinceCode] ??= []).push({ code, name });
  }
  return communes;
}

/** Each province's count against its resolution; every difference is listed. */
function checkTotals(communes: ByProvince<readonly Row[]>): string[] {
  const { totals } = readJson<{
    totals: { provinceCode: string; resolution: string; total: number }[];
  }>(join(SOURCES, 'commune-totals.json'));
  const problems: string[] = [];
  for (const { provinceCode, resolution, total } of totals) {
    const count = communes[provinceCode]?.length ?? 0;
    if (count !== total)
      problems.push(`${provinceCode}: ${count} communes, ${resolution} says ${total}`);
  }
  if (totals.length !== 34) problems.push(`${totals.length} official totals, expected 34`);
  return problems;
}

function communesDocument(communes: ByProvince<Row[]>) {
  const count = Object.values(communes).reduce((n, rows) => n + rows.length, 0);
  return {
    title: 'Commune-level administrative units from 1 July 2025 (5-digit codes), all 34 provinces',
    sources: [
      'Cục Thống kê (National Statistics Office), Công văn 1027/CTK-CSCL of 25 June 2025, Annex I "Danh mục và mã số các đơn vị hành chính cấp xã"; the codes were then promulgated in Decision 19/2025/QĐ-TTg (in force 1 July 2025); this file was checked against the NSO dispatch, not against the PDF of the decision',
      `Text of the annex as converted in ${UPSTREAM.repository} at commit ${UPSTREAM.commit} (${DISPATCH.path}), vendored in ${DISPATCH.vendored}`,
      'Per-province totals checked against resolutions 1654/NQ-UBTVQH15 to 1687/NQ-UBTVQH15 (data/sources/commune-totals.json)',
    ],
    source: { ...UPSTREAM, path: DISPATCH.path, sha256: DISPATCH.sha256 },
    generatedBy: 'node tools/admin-units.ts build',
    count,
    checksum: `sha256:${sha256(JSON.stringify(communes))}`,
    note: 'A new commune usually keeps the code of one of the legacy communes merged into it, so codes are not ordered by province. Codes are never reused. Rows are in the order of the annex.',
    communes,
  };
}

interface UpstreamSplits {
  data: {
    level1_id: string;
    level3s?: { level3_id: string; name: string; splits: { new_id: string }[] }[];
  }[];
}
interface Correction {
  legacyProvinceCode: string;
  legacyCode: string;
  upstream: string[];
  newCodes: string[];
  citation: string;
}

/**
 * Old code -> new codes, grouped by legacy province. An old code that is also a current code
 * is left out: the API reads a current code as current (the new commune kept that code).
 */
function buildLegacy(splitsText: string, communes: ByProvince<Row[]>) {
  const upstream = JSON.parse(splitsText) as UpstreamSplits;
  const { corrections } = readJson<{ corrections: Correction[] }>(
    join(SOURCES, 'legacy-commune-corrections.json'),
  );
  const { provinces: legacyProvinces } = readJson<{
    provinces: { code: string; newCode: string }[];
  }>(join(DATA, 'legacy-provinces.json'));
  const successor = new Map(legacyProvinces.map((p) => [p.code, p.newCode]));
  const provinceOf = new Map(
    Object.entries(communes).flatMap(([p, rows]) => rows.map((r) => [r.code, p] as const)),
  );
  const corrected = new Map(corrections.map((c) => [c.legacyCode, c]));
  const mapping: ByProvince<Record<string, string[]>> = {};
  const shadowed: { legacyCode: string; name: string; upstream: string[] }[] = [];
  let sameCode = 0;
  const problems: string[] = [];
  for (const province of upstream.data) {
    for (const old of province.level3s ?? []) {
      const correction = corrected.get(old.level3_id);
      const upstreamCodes = old.splits.map((s) => s.new_id);
      if (correction !== undefined && correction.upstream.join() !== upstreamCodes.join())
        problems.push(`${old.level3_id}: the correction no longer matches upstream`);
      const newCodes = correction?.newCodes ?? upstreamCodes;
      for (const code of newCodes) {
        if (!provinceOf.has(code))
          problems.push(`${old.level3_id} -> ${code}: not a current commune`);
        else if (provinceOf.get(code) !== successor.get(province.level1_id))
          problems.push(
            `${old.level3_id} -> ${code}: outside the successor of province ${province.level1_id}`,
          );
      }
      if (provinceOf.has(old.level3_id)) {
        if (newCodes.includes(old.level3_id)) sameCode++;
        else shadowed.push({ legacyCode: old.level3_id, name: old.name, upstream: newCodes });
        continue;
      }
      (mapping[province.level1_id] ??= {})[old.level3_id] = newCodes;
    }
  }
  if (problems.length > 0) fail(`legacy mapping:\n  ${problems.join('\n  ')}`);
  const rows = Object.values(mapping).reduce((n, m) => n + Object.keys(m).length, 0);
  return {
    title:
      'Commune codes in force until 30 June 2025 that no 2025 commune kept, and the 2025 communes they became',
    sources: [
      'Resolutions 1654/NQ-UBTVQH15 to 1687/NQ-UBTVQH15 of the National Assembly Standing Committee (rearrangement of the commune-level units of each province, in force 1 July 2025)',
      `Old-to-new mapping ${SPLITS.path} of ${UPSTREAM.repository} at commit ${UPSTREAM.commit}, extracted from those resolutions by its author (with a language model, each row citing its clause, then checked by hand and against sapnhap.bando.com.vn); old codes from Decision 124/2004/QĐ-TTg as listed by github.com/daohoangson/dvhcvn`,
      'Rows breaking the code-keeping or province rules are corrected in data/sources/legacy-commune-corrections.json (with the deciding clause) or left out (see "shadowed")',
    ],
    source: { ...UPSTREAM, path: SPLITS.path, sha256: SPLITS.sha256 },
    generatedBy: 'node tools/admin-units.ts build --splits <copy of mapping/splits.json>',
    count: rows,
    keptByANewCommune: sameCode,
    checksum: `sha256:${sha256(JSON.stringify(mapping))}`,
    note: 'Keys are legacy province codes (2 digits). One new code: the old commune became part of it. Several: the old commune was split, and an address in it cannot be converted without more detail. An old code that a 2025 commune kept is not listed: it is read as the current commune.',
    shadowed,
    corrections: corrections.map(({ legacyCode, newCodes, citation }) => ({
      legacyCode,
      newCodes,
      citation,
    })),
    communes: mapping,
  };
}

/** Pretty JSON with one commune (or one legacy code) a line, as prettier keeps it. */
function write(path: string, doc: unknown): void {
  const text = JSON.stringify(doc, null, 2)
    .replace(
      /\{\n\s+"code": ("\d{5}"),\n\s+"name": ("[^"\n]*")\n\s+\}/g,
      '{ "code": $1, "name": $2 }',
    )
    .replace(
      /\[\n\s+("\d{5}"(?:,\n\s+"\d{5}")*)\n\s+\]/g,
      (_, codes: string) => `[${codes.replace(/,\n\s+/g, ', ')}]`,
    );
  writeFileSync(path, `${text}\n`);
}

function check(): void {
  const markdown = readFileSync(join(SOURCES, '1027_CTK-CSCL.md'));
  if (sha256(markdown) !== DISPATCH.sha256)
    fail('the vendored dispatch does not match its pinned SHA-256');
  const expected = communesDocument(parseDispatch(markdown.toString('utf8')));
  const shipped = readJson<ReturnType<typeof communesDocument>>(COMMUNES_FILE);
  if (JSON.stringify(shipped) !== JSON.stringify(expected))
    fail('communes-2025.json differs from the dispatch: run `node tools/admin-units.ts build`');
  const problems = checkTotals(shipped.communes);
  if (problems.length > 0) fail(`per-province totals:\n  ${problems.join('\n  ')}`);
  const legacy = readJson<{ checksum: string; communes: unknown }>(LEGACY_FILE);
  if (legacy.checksum !== `sha256:${sha256(JSON.stringify(legacy.communes))}`)
    fail('legacy-communes-2025.json: checksum does not match its content');
  console.log(
    `admin-units: ${shipped.count} communes in ${Object.keys(shipped.communes).length} provinces, each province's count equal to its resolution; legacy mapping checksum ok`,
  );
}

function build(splitsPath: string | undefined): void {
  const markdown = readFileSync(join(SOURCES, '1027_CTK-CSCL.md'));
  if (sha256(markdown) !== DISPATCH.sha256)
    fail('the vendored dispatch does not match its pinned SHA-256');
  const communes = parseDispatch(markdown.toString('utf8'));
  const problems = checkTotals(communes);
  if (problems.length > 0) fail(`per-province totals:\n  ${problems.join('\n  ')}`);
  write(COMMUNES_FILE, communesDocument(communes));
  if (splitsPath === undefined) fail('--splits <copy of mapping/splits.json> is required');
  const splits = readFileSync(splitsPath);
  if (sha256(splits) !== SPLITS.sha256)
    fail(`${splitsPath} is not ${SPLITS.path} at ${UPSTREAM.commit}`);
  const legacy = buildLegacy(splits.toString('utf8'), communes);
  write(LEGACY_FILE, legacy);
  console.log(
    `admin-units: wrote ${Object.values(communes).flat().length} communes and ${legacy.count} legacy codes (${legacy.shadowed.length} shadowed, ${legacy.corrections.length} corrected)`,
  );
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { splits: { type: 'string' } },
});
if (positionals[0] === 'check') check();
else if (positionals[0] === 'build') build(values.splits);
else fail('usage: node tools/admin-units.ts check | build --splits <file>');
