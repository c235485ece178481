import { secretError } from "./secret-errors.js";

/** Same rule as the `secrets[].name` of leash config, so every grantable name can be stored. */
const SECRET_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The largest value the broker holds: credentials, not files. */
export const MAX_SECRET_VALUE_BYTES = 64 * 1024;

/** Throws ERR_SECRET_NAME_INVALID unless `name` is 1–128 of `A-Z a-z 0-9 _ . -`. The name is not secret. */
export function verifySecretName(name: string): string {
  if (!SECRET_NAME.test(name)) {
    throw secretError(
      "ERR_SECRET_NAME_INVALID",
      `a secret name is 1-128 characters of A-Z a-z 0-9 _ . - (got ${JSON.stringify(name.slice(0, 140))})`,
    );
  }
  return name;
}

/** Throws ERR_SECRET_VALUE_INVALID when `value` is empty or too large; the message never holds it. */
export function verifySecretValue(value: string): string {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes === 0 || bytes > MAX_SECRET_VALUE_BYTES) {
    throw secretError(
      "ERR_SECRET_VALUE_INVALID",
      `a secret value must be 1 to ${MAX_SECRET_VALUE_BYTES} bytes (got ${bytes})`,
    );
  }
  return value;
}
