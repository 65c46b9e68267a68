// The quarterly notice (季度抽查通报) and the annual statistics (年度报告): pure builders.
export * from "./rates";
export * from "./quarterly";
export * from "./annual";
export * from "./lower";
export * from "./scores";
