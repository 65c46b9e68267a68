// `npm run bench [-- --quick]`: every benchmark in one process, each printing lines that start with
// its id (B1 … B6, B2r) and ratios to a floor measured in the same run; then the process's peak RSS.
// --quick runs small sizes for CI.
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
const quick = values.quick ?? false;
const print = (line: string) => console.log(line);

const suites: [string, () => Promise<{ run: (o: { quick: boolean; print: (l: string) => void }) => Promise<void> }>][] = [
  ["compute", () => import("./compute")],
  ["feeds-api", () => import("./feeds-api")],
  ["wording", () => import("./wording")],
];

const started = performance.now();
for (const [name, load] of suites) {
  if (values.only && values.only !== name) continue;
  await (await load()).run({ quick, print });
}
// maxRSS is in KiB on Linux.
print(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
print(`bench finished in ${Math.round((performance.now() - started) / 1000)} s${quick ? " (quick)" : ""}`);
