// What an unreadable or oversized XLSX answers: 413 for size, 400 for a malformed file; Chinese for the clerk.
import { AppError } from "./errors";

export const MB = 1024 * 1024;
export const READ_FAILED = "无法读取 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式（.xlsx）";
export const tooLarge = (message: string, details: unknown[] = []) => new AppError(413, "too_large", message, details);
export const invalid = (message = READ_FAILED) => new AppError(400, "invalid_file", message);
export const resave = "请在 Excel/WPS 中打开并另存为新的 .xlsx 后重新上传";
export const mb = (n: number) => (n / MB).toFixed(n < 10 * MB ? 1 : 0);
