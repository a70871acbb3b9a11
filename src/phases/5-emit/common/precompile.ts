// How the build precompiles a template (scripts/generate-assets.ts; the tests too): Handlebars'
// compiler with `compileOptions`, with changes to the code it writes. Only the build loads
// this module (and with it the Handlebars compiler): at run time the templates come precompiled.
import Handlebars from 'handlebars';
import { compileOptions, EACH_ARRAY } from './templates.js';

/** Handlebars' code generator, changed where it pays. It leaves out the template position it writes
 * into the options of every helper call: no helper reads it (a strict lookup that fails still
 * names its position: that is another literal), and each call built three objects for it, a
 * tenth of what rendering a large bundle allocates. It reads own properties in place, and it runs
 * `#if`, `#unless` and `#each` blocks and partial calls in place (all below).
 * Handlebars documents replacing its JavaScriptCompiler for such changes; `compiler` names the
 * class its nested blocks are compiled with. */
const precompiler = Handlebars.create() as typeof Handlebars & { JavaScriptCompiler: CompilerClass };
// Handlebars' typings leave the compiler class out: the members used here.
type Code = unknown; // a piece of generated code: a string or (nested) arrays of them
interface CompilerObject {
  options: { strict?: boolean; assumeObjects?: boolean; compat?: boolean };
  environment: { children: { index: number }[] };
  context: { decorators: unknown[] };
  inlineStack: unknown[];
  useDepths: boolean;
  useBlockParams: boolean;
  trackIds: boolean;
  stringParams: boolean;
  pushProgram(guid: number | null | undefined): void;
  emptyHash(omitEmpty?: boolean): void;
  invokeKnownHelper(paramSize: number, name: string): void;
  invokePartial(isDynamic: boolean, name: string, indent: string): void;
  setupParams(name: string, paramSize: number, params: Code[]): Record<string, Code>;
  aliasable(name: string): Code;
  quotedString(text: string): Code;
  contextName(context: number): string;
  source: { currentLocation?: unknown };
  objectLiteral(obj: Record<string, unknown>): unknown;
  nameLookup(parent: Code, name: string, type?: string): Code;
  internalNameLookup(parent: Code, name: string): Code;
  resolvePath(type: string, parts: string[], startPartIndex: number, falsy: boolean, strict: boolean): void;
  useRegister(name: string): void;
  popStack(): Code;
  push(expr: Code): void;
}
type CompilerClass = new () => CompilerObject;

/** The variable the lookups below hold the object they read in (a register: one per function). */
const HELD = 'held';

/** Names read as Handlebars reads them, in every case: those an object inherits (Object.prototype's
 * `constructor`, `toString`, …, which its access rules screen) and any that is not a plain name. */
const plainName = (name: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !(name in Object.prototype) && name !== '__proto__';

/** The code that reads `name` of the object `parent` evaluates to: its own property read at the
 * place (a fast, single-shape read), anything else (null, a primitive, an inherited or missing
 * property) by `fallback`, Handlebars' own check. */
function ownOr(compiler: CompilerObject, parent: Code, name: string, fallback: Code): Code {
  compiler.useRegister(HELD);
  return ['((', HELD, ' = ', parent, ') !== null && typeof ', HELD, ' === "object" && Object.hasOwn(', HELD, ', ', JSON.stringify(name), ') ? ', HELD, '.', name, ' : ', fallback, ')'];
}

/** The variables an inline `#if` holds its condition in, and an inline partial call its partial,
 * its context and a dynamic partial's name (registers, like HELD). */
const COND = 'cond';
const PF = 'pf';
const PC = 'pc';
const PN = 'pn';
/** And an inline `#each` its list and the helper (registers too). */
const EV = 'ev';
const EH = 'eh';

class PbxplanCompiler extends precompiler.JavaScriptCompiler {
  /** The stack entries `pushProgram` and `emptyHash` made, so that `invokeKnownHelper` knows a
   * block's programs (by their index) and an empty hash when it finds them on the stack. */
  private readonly programAt = new WeakMap<object, number | null>();
  private readonly emptyHashes = new WeakSet<object>();

  override pushProgram(guid: number | null | undefined): void {
    super.pushProgram(guid);
    this.programAt.set(this.inlineStack[this.inlineStack.length - 1] as object, guid == null ? null : this.environment.children[guid]!.index);
  }

  override emptyHash(omitEmpty?: boolean): void {
    super.emptyHash(omitEmpty);
    this.emptyHashes.add(this.inlineStack[this.inlineStack.length - 1] as object);
  }

  /** A helper's `this`, as Handlebars' call gives it: an alias (a variable once it is used twice,
   * which is why each use asks for it), in parentheses where it stands inside an expression. */
  private helperThis(): Code {
    return ['(', this.aliasable(`${this.contextName(0)} != null ? ${this.contextName(0)} : (container.nullContext || {})`), ')'];
  }

  /** The top three stack entries, when they are what `setupFullMustacheParams` pushes for a call
   * with no hash: the block's program and inverse (their indexes, null for none). */
  private plainBlock(): { fn: number | null; inverse: number | null } | null {
    const s = this.inlineStack;
    if (s.length < 3 || this.useBlockParams || this.trackIds || this.stringParams) return null;
    const [program, inverse, hash] = s.slice(-3) as object[];
    if (!this.emptyHashes.has(hash!) || !this.programAt.has(program!) || !this.programAt.has(inverse!)) return null;
    const fn = this.programAt.get(program!)!;
    const inv = this.programAt.get(inverse!)!;
    if ([fn, inv].some((i) => i !== null && this.context.decorators[i])) return null;
    return { fn, inverse: inv };
  }

  /** A partial `{{> name context}}` or `{{> (dynamic) context}}` (no hash, no block, no indent)
   * called in place when it is a function, as Handlebars' invokePartial would call it: the same
   * options, `hooks`, `protoAccessControl` and `partial: true` added. Handlebars itself copies the
   * options twice and looks the partial up again on every call (26,000 calls for a 1,000-server
   * bundle). Anything else, a missing partial included, goes to Handlebars' own invokePartial. */
  override invokePartial(isDynamic: boolean, name: string, indent: string): void {
    const block = this.plainBlock();
    if (!block || block.fn !== null || block.inverse !== null || indent || this.options.compat) return super.invokePartial(isDynamic, name, indent);
    const params: Code[] = [];
    const options = this.setupParams(name, 1, params);
    const found = isDynamic ? this.popStack() : this.nameLookup('partials', name, 'partial');
    if (isDynamic) delete options['name'];
    const given = { ...options, helpers: 'helpers', partials: 'partials', decorators: 'container.decorators' };
    const stock = (partial: Code): Code => ['container.invokePartial(', partial, ', ', PC, ', ', this.objectLiteral(given), ')'];
    const call = (partialName: Code): Code => [PF, '(', PC, ', ', this.objectLiteral({ ...given, name: partialName, hooks: 'container.hooks', protoAccessControl: 'container.protoAccessControl', partial: 'true' }), ')'];
    this.useRegister(PF);
    this.useRegister(PC);
    if (!isDynamic) {
      this.push(['((', PF, ' = ', found, '), (', PC, ' = ', params[0], '), ', PF, ' instanceof Function ? ', call(options['name']), ' : ', stock(PF), ')']);
      return;
    }
    // A dynamic partial names one (resolvePartial looks a string up among the own partials).
    this.useRegister(PN);
    this.push(['((', PN, ' = ', found, '), (', PC, ' = ', params[0], '), typeof ', PN, ' === "string" && ', PN, ' !== "" && (', PF, ' = Object.prototype.hasOwnProperty.call(partials, ', PN, ') ? partials[', PN, '] : undefined) instanceof Function ? ', call(PN), ' : ', stock(PN), ')']);
  }

  /** A block `{{#if x}}` or `{{#unless x}}` (one argument, no hash), run in place: the builtin's
   * test, then its block's program called as Handlebars' wrapper would call it. Handlebars
   * itself calls the helper with an options object and a new wrapper of each program on every
   * run of the block (a `data` frame is always given): 58 of the 326 MB a 1,000-server compile
   * allocated. `#each` is `eachInPlace`'s; anything else (a hash such as includeZero, block
   * parameters, decorators) takes Handlebars' own path. */
  override invokeKnownHelper(paramSize: number, name: string): void {
    const block = (name === 'if' || name === 'unless' || name === 'each') && paramSize === 1 ? this.plainBlock() : null;
    if (!block || block.fn === null) return super.invokeKnownHelper(paramSize, name);
    if (name === 'each') return this.eachInPlace(block.fn, block.inverse);
    const { fn: fnIndex, inverse: inverseIndex } = block;
    this.popStack();
    this.popStack();
    this.popStack();
    const param = this.popStack();
    const ctx = (): Code => this.helperThis();
    // The wrapper's arguments after `data`, when this function has them (see wrapProgram).
    const rest = (): Code[] =>
      this.useDepths
        ? [', blockParams && [undefined].concat(blockParams)', ', (depths && ', ctx(), ' != depths[0] && !(', ctx(), ' === container.nullContext && depths[0] === null) ? [', ctx(), '].concat(depths) : depths)']
        : [];
    const run = (index: number | null): Code => (index === null ? '""' : ['container.fn(', String(index), ')(container, ', ctx(), ', container.helpers, container.partials, data', rest(), ')']);
    const [whenTrue, whenFalse] = name === 'if' ? [fnIndex, inverseIndex] : [inverseIndex, fnIndex];
    this.useRegister(COND);
    this.push(['((', COND, ' = ', param, '), typeof ', COND, ' === "function" && (', COND, ' = ', COND, '.call', ctx(), '), !', COND, ' || (Array.isArray(', COND, ') && ', COND, '.length === 0) ? ', run(whenFalse), ' : ', run(whenTrue), ')']);
  }

  /** A block `{{#each list}}` (no hash, no block parameters): over an array, the runtime's
   * `eachArray` (templates.ts), given the block's programs themselves; anything else (an object,
   * an iterable, a function, null) and any `each` without `eachArray` (Handlebars' own set-up) is
   * the helper's usual call. Handlebars builds an options object and a new wrapper of each
   * program for every run of the block, and calls every item through that wrapper. */
  private eachInPlace(fnIndex: number, inverseIndex: number | null): void {
    const hash = this.popStack();
    const inverse = this.popStack();
    const program = this.popStack();
    const param = this.popStack();
    const ctx = (): Code => this.helperThis();
    const options = this.objectLiteral({ name: this.quotedString('each'), hash, fn: program, inverse: inverse ?? 'container.noop', data: 'data' });
    const fn = (index: number | null) => (index === null ? 'null' : `container.fn(${index})`);
    this.useRegister(EV);
    this.useRegister(EH);
    this.push([
      '((', EV, ' = ', param, '), (', EH, ' = ', this.nameLookup('helpers', 'each', 'helper'), '), Array.isArray(', EV, ') && typeof ', EH, '.', EACH_ARRAY, ' === "function" ? ',
      EH, '.', EACH_ARRAY, '.call(', ctx(), ', ', EV, ', ', fn(fnIndex), ', ', fn(inverseIndex), ', container, data', this.useDepths ? ', depths' : '', ')',
      ' : ', EH, '.call(', ctx(), ', ', EV, ', ', options, '))',
    ]);
  }

  /** `lookupProperty(parent, "name")`, Handlebars' one function for every property a template
   * reads (a million calls for a large bundle, each a lookup of a name unknown to it), read in
   * place where its answer is plain: an own property of an object, which it returns as it is. */
  override nameLookup(parent: Code, name: string, type?: string): Code {
    if (!plainName(name)) return super.nameLookup(parent, name, type);
    return ownOr(this, parent, name, this.internalNameLookup(HELD, name));
  }

  /** A strict lookup's last name, `container.strict(obj, "name", loc)`, read in place as well when
   * it is an own property of an object; anything else still goes to `strict`, which throws with
   * the template position. The names before it are `nameLookup`s, as in Handlebars' own. */
  override resolvePath(type: string, parts: string[], startPartIndex: number, falsy: boolean, strict: boolean): void {
    if (!(this.options.strict || this.options.assumeObjects)) return super.resolvePath(type, parts, startPartIndex, falsy, strict);
    const requireTerminal = !!(this.options.strict && strict);
    let stack = this.popStack();
    const len = parts.length - (requireTerminal ? 1 : 0);
    for (let i = startPartIndex; i < len; i++) stack = this.nameLookup(stack, parts[i]!, type);
    if (requireTerminal) {
      const name = parts[len]!;
      const loc = this.source.currentLocation ? JSON.stringify(this.source.currentLocation) : 'undefined';
      const strictOf = (obj: Code): Code => ['container.strict(', obj, ', ', JSON.stringify(name), ', ', loc, ')'];
      stack = plainName(name) ? ownOr(this, stack, name, strictOf(HELD)) : strictOf(stack);
    }
    this.push(stack);
  }

  override objectLiteral(obj: Record<string, unknown>): unknown {
    // A helper call's options, as setupHelperArgs builds them: name, hash, loc (and more).
    if ('loc' in obj && 'name' in obj && 'hash' in obj) {
      const { loc: _loc, ...rest } = obj;
      return super.objectLiteral(rest);
    }
    return super.objectLiteral(obj);
  }
}
(PbxplanCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = PbxplanCompiler;
precompiler.JavaScriptCompiler = PbxplanCompiler;

/** The precompiled spec of the template named `name` (path under templates/ without ".hbs"), as
 * JavaScript source. */
export function precompileTemplate(name: string, source: string): string {
  return precompiler.precompile(source, compileOptions(name)) as unknown as string;
}
