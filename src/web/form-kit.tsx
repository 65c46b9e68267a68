// Forms that keep what the clerk typed: when the API refuses a post, the page re-renders the form with
// the values and puts each problem beside the field it concerns (from the error's details: `path`, or
// `field` for conflicts), in the API's own Chinese words. Nothing is lost to a redirect.
import type { Child } from "hono/jsx";
import type { ApiError } from "./api-client";

export interface FormState {
  /** What was typed, by field name. */
  values: Record<string, string>;
  /** A problem per field, by field name. */
  errors: Record<string, string>;
  /** The error as a whole, for the top of the form (always set when the API refused). */
  message?: string;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

/** The posted fields as text (files and missing fields left out), trimmed. */
export function postedValues(form: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = form[n];
    if (typeof v === "string" && v.trim() !== "") out[n] = v.trim();
  }
  return out;
}

/** The form again after the API refused it: each detail whose path starts with a field of the form goes beside that field. */
export function refusedForm(values: Record<string, string>, error: ApiError["error"], fields: readonly string[]): FormState {
  const errors: Record<string, string> = {};
  for (const d of error.details ?? []) {
    if (!d || typeof d !== "object") continue;
    const { path, field, message } = d as { path?: unknown; field?: unknown; message?: unknown };
    const key = String(typeof path === "string" && path ? path : (field ?? "")).split(".")[0] ?? "";
    if (fields.includes(key) && !errors[key]) errors[key] = typeof message === "string" && message ? message : error.message;
  }
  return { values, errors, message: error.message };
}

/** One row of a .form-grid form: the label, the control, and the field's problem under it. */
export function Field(props: { label: string; name: string; state: FormState; children: Child; hint?: string }) {
  const err = props.state.errors[props.name];
  return (
    <>
      <label for={`f-${props.name}`}>{props.label}</label>
      <div class={err ? "field has-err" : "field"}>
        {props.children}
        {err ? (
          <div class="field-err" id={`f-${props.name}-err`} role="alert">
            {err}
          </div>
        ) : props.hint ? (
          <div class="muted hint">{props.hint}</div>
        ) : null}
      </div>
    </>
  );
}

/** The attributes a text input needs to show its value and be tied to its label and problem. */
export function inputAttrs(state: FormState, name: string) {
  return {
    id: `f-${name}`,
    name,
    value: state.values[name] ?? "",
    "aria-invalid": state.errors[name] ? "true" : undefined,
    "aria-describedby": state.errors[name] ? `f-${name}-err` : undefined,
  };
}

/** An upload's row errors (ledger, filled spot-check list, posts): 行号, 列, 问题 — one table for all uploads. */
export function RowErrorTable(props: { errors: readonly { row: number; column?: string | null; message: string }[]; class?: string; message?: (text: string) => Child }) {
  const show = props.message ?? ((text: string) => text);
  return (
    <table class={props.class}>
      <thead>
        <tr>
          <th>行号</th>
          <th>列</th>
          <th>问题</th>
        </tr>
      </thead>
      <tbody>
        {props.errors.map((e) => (
          <tr>
            <td>{e.row}</td>
            <td>{e.column ?? "—"}</td>
            <td>{show(e.message)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
