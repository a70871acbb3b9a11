// How the build precompiles a template (scripts/generate-assets.ts; the tests too): Handlebars'
// compiler with `compileOptions`, with two changes to the code it writes. Only the build loads
// this module (and with it the Handlebars compiler): at run time the templates come precompiled.
import Handlebars from 'handlebars';
import { compileOptions } from './templates.js';

/** Handlebars' code generator, with two changes. It leaves out the template position it writes
 * into the options of every helper call: no helper reads it (a strict lookup that fails still
 * names its position: that is another literal), and each call built three objects for it, a
 * tenth of what rendering a large bundle allocates. And it reads own properties in place (below).
 * Handlebars documents replacing its JavaScriptCompiler for such changes; `compiler` names the
 * class its nested blocks are compiled with. */
const precompiler = Handlebars.create() as typeof Handlebars & { JavaScriptCompiler: CompilerClass };
// Handlebars' typings leave the compiler class out: the members used here.
type Code = unknown; // a piece of generated code: a string or (nested) arrays of them
interface CompilerObject {
  options: { strict?: boolean; assumeObjects?: boolean };
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

class PbxplanCompiler extends precompiler.JavaScriptCompiler {
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
