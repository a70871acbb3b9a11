// How the build precompiles a template (scripts/generate-assets.ts; the tests too): Handlebars'
// compiler with `compileOptions`, less one thing. Only the build loads this module (and with it
// the Handlebars compiler): at run time the templates come precompiled.
import Handlebars from 'handlebars';
import { compileOptions } from './templates.js';

/** Handlebars' code generator, less one thing: the template position it writes into the options
 * of every helper call. No helper reads it (a strict lookup that fails still names its position:
 * that is another literal), and each call built three objects for it: a tenth of what rendering a
 * large bundle allocates. Handlebars documents replacing its JavaScriptCompiler for such changes;
 * `compiler` names the class its nested blocks are compiled with. */
const precompiler = Handlebars.create() as typeof Handlebars & { JavaScriptCompiler: CompilerClass };
// Handlebars' typings leave the compiler class out: the two members used here.
interface CompilerObject {
  objectLiteral(obj: Record<string, unknown>): unknown;
}
type CompilerClass = new () => CompilerObject;
class NoHelperLocationCompiler extends precompiler.JavaScriptCompiler {
  override objectLiteral(obj: Record<string, unknown>): unknown {
    // A helper call's options, as setupHelperArgs builds them: name, hash, loc (and more).
    if ('loc' in obj && 'name' in obj && 'hash' in obj) {
      const { loc: _loc, ...rest } = obj;
      return super.objectLiteral(rest);
    }
    return super.objectLiteral(obj);
  }
}
(NoHelperLocationCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = NoHelperLocationCompiler;
precompiler.JavaScriptCompiler = NoHelperLocationCompiler;

/** The precompiled spec of the template named `name` (path under templates/ without ".hbs"), as
 * JavaScript source. */
export function precompileTemplate(name: string, source: string): string {
  return precompiler.precompile(source, compileOptions(name)) as unknown as string;
}
