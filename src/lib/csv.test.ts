import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CsvError, decodeCsvBytes, neutraliseCell, parseCsv, toCsv, toRecords } from "./csv";

const RUNS = { numRuns: 200 };
const DANGEROUS_START = /^[=+\-@\t\r]/;

/** Characters that stress quoting: separators, quotes, both line endings, BOM, CJK, formula starters. */
const trickyChar = fc.constantFrom(
  "a",
  "Z",
  "0",
  " ",
  ",",
  '"',
  "\n",
  "\r",
  "'",
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\uFEFF",
  "账",
  "号",
  "（",
  "😀",
);
const anyCell = fc.oneof(fc.string({ unit: trickyChar, maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 12 }));
const safeCell = anyCell.filter((s) => !DANGEROUS_START.test(s));
const table = (cell: fc.Arbitrary<string>) =>
  fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

function csvErrorOf(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    return e as CsvError;
  }
  throw new Error("expected a CsvError");
}

describe("toCsv / parseCsv round trip", () => {
  it("parseCsv(toCsv(t)) === t for tables of formula-safe cells", () => {
    fc.assert(
      fc.property(table(safeCell), (t) => {
        expect(parseCsv(toCsv(t))).toEqual(t);
      }),
      RUNS,
    );
  });

  it("for any cells, the round trip yields the neutralised cells", () => {
    fc.assert(
      fc.property(table(anyCell), (t) => {
        const back = parseCsv(toCsv(t));
        expect(back).toEqual(t.map((r) => r.map(neutraliseCell)));
        for (const r of back) for (const c of r) expect(DANGEROUS_START.test(c)).toBe(false);
      }),
      RUNS,
    );
  });

  it("also round-trips when the leading BOM has been stripped (e.g. by an editor)", () => {
    const t = [
      ["账号名称", "平台"],
      ["大洼发布", "微博"],
      ["多行\r\n内容", 'a "b", c'],
    ];
    const csv = toCsv(t);
    expect(parseCsv(csv.slice(1))).toEqual(t);
  });

  it("writes numbers, null and undefined", () => {
    expect(parseCsv(toCsv([[1, 2.5, null, undefined, 0]]))).toEqual([["1", "2.5", "", "", "0"]]);
  });
});

describe("toCsv output shape", () => {
  it("starts with a UTF-8 BOM and ends each row with CRLF", () => {
    const out = toCsv([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(out.charCodeAt(0)).toBe(0xfeff);
    expect(out).toBe("\uFEFFa,b\r\nc,d\r\n");
  });

  it("always starts with exactly one BOM", () => {
    fc.assert(
      fc.property(table(safeCell), (t) => {
        const out = toCsv(t);
        expect(out.startsWith("\uFEFF")).toBe(true);
        expect(out.endsWith("\r\n")).toBe(true);
      }),
      RUNS,
    );
  });

  it("quotes cells with commas, quotes, CR or LF and doubles inner quotes", () => {
    expect(toCsv([["a,b", 'say "hi"', "x\ny", "p\rq", "plain"]])).toBe(
      '\uFEFF"a,b","say ""hi""","x\ny","p\rq",plain\r\n',
    );
  });
});

describe("neutralisation (CSV injection)", () => {
  it.each(["=SUM(A1:A9)", "+1", "-1", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"])(
    "prefixes %j with an apostrophe",
    (cell) => {
      expect(neutraliseCell(cell)).toBe("'" + cell);
      expect(parseCsv(toCsv([[cell]]))).toEqual([["'" + cell]]);
    },
  );

  it("neutralises a negative number passed as a number", () => {
    expect(parseCsv(toCsv([[-5]]))).toEqual([["'-5"]]);
  });

  it.each(["SUM(A1)", "a=b", " =1", "'=1", "大洼发布", "", "1-2"])("leaves %j alone", (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });

  it("is exactly: prefix when the first char is = + - @ TAB CR, identity otherwise", () => {
    fc.assert(
      fc.property(anyCell, (cell) => {
        const out = neutraliseCell(cell);
        if (DANGEROUS_START.test(cell)) expect(out).toBe("'" + cell);
        else expect(out).toBe(cell);
      }),
      RUNS,
    );
  });
});

describe("parseCsv", () => {
  it("parses quoted fields with commas, newlines and doubled quotes", () => {
    const text = 'name,note\r\n"大洼发布","a, b"\r\n"x","line1\nline2"\n"q","say ""hi"""\n';
    expect(parseCsv(text)).toEqual([
      ["name", "note"],
      ["大洼发布", "a, b"],
      ["x", "line1\nline2"],
      ["q", 'say "hi"'],
    ]);
  });

  it("accepts LF, CRLF and bare CR line endings and strips a leading BOM", () => {
    expect(parseCsv("\uFEFFa,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("a,b\rc,d\r")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("keeps empty fields and empty lines", () => {
    expect(parseCsv("a,,c\n,\n\n")).toEqual([["a", "", "c"], ["", ""], [""]]);
    expect(parseCsv('""\n')).toEqual([[""]]);
    expect(parseCsv('a,""')).toEqual([["a", ""]]);
    expect(parseCsv("")).toEqual([]);
  });

  it("throws CsvError with the starting row for an unterminated quote", () => {
    const e = csvErrorOf(() => parseCsv('a,b\r\nc,"d\r\ne,f\r\n'));
    expect(e.row).toBe(2);
    expect(e.message).toMatch(/第2行/);
    expect(e.message).toMatch(/引号/);

    expect(csvErrorOf(() => parseCsv('"')).row).toBe(1);
    expect(csvErrorOf(() => parseCsv('x\ny\nz,"abc""')).row).toBe(3);
  });

  it("throws CsvError for a quote in the middle of an unquoted field", () => {
    const e = csvErrorOf(() => parseCsv('a,b\nc,d"e\n'));
    expect(e.row).toBe(2);
    expect(e.message).toMatch(/第2行/);
  });
});

describe("toRecords", () => {
  it("keys cells by trimmed header, numbers rows from 2 and drops blank rows", () => {
    const rows = parseCsv('\uFEFF 账号名称 ,平台\r\n大洼发布,微博\r\n,\r\n"多行\n名称",抖音\r\n短行\r\n');
    const { header, records } = toRecords(rows);
    expect(header).toEqual(["账号名称", "平台"]);
    expect(records).toEqual([
      { row: 2, cells: { 账号名称: "大洼发布", 平台: "微博" } },
      { row: 4, cells: { 账号名称: "多行\n名称", 平台: "抖音" } },
      { row: 5, cells: { 账号名称: "短行", 平台: "" } },
    ]);
  });
});

describe("decodeCsvBytes", () => {
  // `printf '账号名称' | iconv -f utf-8 -t gbk | od -An -tx1`
  const GBK_HEADER = new Uint8Array([0xd5, 0xcb, 0xba, 0xc5, 0xc3, 0xfb, 0xb3, 0xc6]);
  // `printf '账号名称,平台\r\n大洼发布,微博\r\n' | iconv -f utf-8 -t gbk`
  const GBK_CSV = new Uint8Array([
    0xd5, 0xcb, 0xba, 0xc5, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc6, 0xbd, 0xcc, 0xa8, 0x0d, 0x0a, 0xb4, 0xf3, 0xcd, 0xdd,
    0xb7, 0xa2, 0xb2, 0xbc, 0x2c, 0xce, 0xa2, 0xb2, 0xa9, 0x0d, 0x0a,
  ]);
  // `printf '\xef\xbb\xbf账号名称' | od -An -tx1`
  const UTF8_BOM_HEADER = new Uint8Array([
    0xef, 0xbb, 0xbf, 0xe8, 0xb4, 0xa6, 0xe5, 0x8f, 0xb7, 0xe5, 0x90, 0x8d, 0xe7, 0xa7, 0xb0,
  ]);

  it("decodes GBK bytes (Excel on Chinese Windows)", () => {
    expect(decodeCsvBytes(GBK_HEADER)).toBe("账号名称");
    expect(parseCsv(decodeCsvBytes(GBK_CSV))).toEqual([
      ["账号名称", "平台"],
      ["大洼发布", "微博"],
    ]);
  });

  it("decodes UTF-8 with a BOM, dropping the BOM", () => {
    expect(decodeCsvBytes(UTF8_BOM_HEADER)).toBe("账号名称");
  });

  it("decodes UTF-8 without a BOM", () => {
    expect(decodeCsvBytes(UTF8_BOM_HEADER.slice(3))).toBe("账号名称");
  });

  it("decodes what toCsv writes back to the same table", () => {
    // A first cell that itself starts with U+FEFF is excluded: TextDecoder drops the file's BOM and
    // parseCsv then drops the cell's one too (harmless for headers, which toRecords strips anyway).
    fc.assert(
      fc.property(table(safeCell).filter((t) => !t[0]![0]!.startsWith("\uFEFF")), (t) => {
        const bytes = new TextEncoder().encode(toCsv(t));
        expect(parseCsv(decodeCsvBytes(bytes))).toEqual(t);
      }),
      RUNS,
    );
  });
});
