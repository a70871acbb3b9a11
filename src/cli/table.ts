// The one command table: help, argument parsing and shell completion all derive from it.
import type { CommandDef } from './command.js';
import { artifacts } from './commands/artifacts.js';
import { compile } from './commands/compile.js';
import { completion } from './commands/completion.js';
import { explain } from './commands/explain.js';
import { init } from './commands/init.js';
import { inventory } from './commands/inventory.js';
import { plan } from './commands/plan.js';
import { schema } from './commands/schema.js';
import { trace } from './commands/trace.js';
import { validate } from './commands/validate.js';
import { verify } from './commands/verify.js';

export const COMMANDS: readonly CommandDef[] = [validate, compile, plan, artifacts, verify, trace, inventory, schema, explain, init, completion];
