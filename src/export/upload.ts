// Reading an uploaded table (CSV or XLSX, raw body or multipart form) into rows of cells.
import { CsvError, CsvLimitError, decodeCsvBytes, parseCsv } from "../lib/csv";
import { AppError, badRequest } from "../lib/errors";
import type { SheetRows, SpreadsheetCodec } from "../lib/types";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The uploaded table as rows of cells: raw CSV/XLSX body, or the `file` field of a multipart form. */
export async function readUpload(req: Request, spreadsheet: SpreadsheetCodec | undefined): Promise<SheetRows> {
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_UPLOAD_BYTES) throw new AppError(413, "too_large", "文件超过 10 MB，请拆分后上传");
  const type = req.headers.get("content-type") ?? "";
  let bytes: Uint8Array;
  let name = "";
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => {
      throw badRequest("无法读取上传的表单");
    });
    const file = form.get("file");
    if (!file || typeof file === "string") throw badRequest("请在表单的 file 字段上传 CSV 或 XLSX 文件");
    name = file.name.toLowerCase();
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    bytes = new Uint8Array(await req.arrayBuffer());
  }
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new AppError(413, "too_large", "文件超过 10 MB，请拆分后上传");
  if (bytes.byteLength === 0) throw badRequest("上传的文件是空的");

  if (isZip(bytes) || type.startsWith(XLSX_TYPE) || name.endsWith(".xlsx")) {
    if (!spreadsheet) throw new AppError(501, "not_available", "此部署不支持 XLSX，请另存为 CSV 后上传");
    try {
      return await spreadsheet.readRows(bytes);
    } catch (e) {
      // Size limits and specific faults found while reading keep their own status and message.
      if (e instanceof AppError) throw e;
      throw badRequest("无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式（.xlsx）");
    }
  }
  if (name.endsWith(".xls")) throw badRequest("不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV");
  try {
    return parseCsv(decodeCsvBytes(bytes));
  } catch (e) {
    if (e instanceof CsvLimitError) throw new AppError(413, "too_large", e.message, [{ row: e.row, message: e.message }]);
    if (e instanceof CsvError) throw badRequest(`CSV 格式有误：${e.message}`, [{ row: e.row, message: e.message }]);
    throw e;
  }
}
