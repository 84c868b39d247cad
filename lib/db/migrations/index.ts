import { initial } from "./0001-initial";

/** Applied in order, each once; never edit one that has shipped, add the next. */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [{ id: "0001-initial", sql: initial }];
