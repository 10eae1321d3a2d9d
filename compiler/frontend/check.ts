/**
 * The dialect checker: walks every node of the user's files against the syntax table and reports
 * each banned construct with its catalogue code, checks imports, module-level statements and
 * parameter forms, and finds recursion in the call graph. It only reads; lowering (lower.ts) adds
 * the value-level diagnostics (ranges, widths, indexes) when functions are lowered.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import type { Lowering } from "./lower.js";
import { classify, kindName } from "./syntax-table.js";

export function checkDialect(L: Lowering, sf: ts.SourceFile): void {
  const checker = L.checker;
  const visit = (n: ts.Node): void => {
    const c = classify(n.kind);
    if (c === undefined) L.report(n, "construct", [`${kindName(n.kind)}`]);
    else if (typeof c === "object") {
      L.report(n, c.banned, c.what ? [c.what] : [c.banned === "anyType" ? n.getText() : ""]);
      if (n.kind !== ts.SyntaxKind.SourceFile) return;
    }
    switch (n.kind) {
      case ts.SyntaxKind.StringLiteral: {
        const p = n.parent;
        const ok = ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) ||
          (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === "char") ||
          ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p)) && p.name === n) || isReadableName(p);
        if (!ok) L.report(n, "string");
        break;
      }
      case ts.SyntaxKind.NumericLiteral:
        if (!/^(0[xob][0-9a-f_]+|[0-9_]+)$/i.test((n as ts.NumericLiteral).getText())) L.report(n, "float");
        break;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration: {
        const spec = (n as ts.ImportDeclaration).moduleSpecifier;
        if (spec && ts.isStringLiteral(spec) && spec.text !== "tsfpga" && !spec.text.startsWith("./") && !spec.text.startsWith("../"))
          L.report(spec, "badImport", [spec.text]);
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration: {
        const f = n as ts.FunctionDeclaration;
        if (f.asteriskToken) L.report(f, "async");
        if (!ts.isSourceFile(f.parent)) L.report(f.name ?? f, "closure");
        else if (!f.body) L.report(f, "construct", ["a function without a body (overload)"]);
        break;
      }
      case ts.SyntaxKind.Parameter: {
        const p = n as ts.ParameterDeclaration;
        if (p.questionToken || p.initializer || p.dotDotDotToken) L.report(p, "construct", ["an optional, default or rest parameter"]);
        break;
      }
      case ts.SyntaxKind.PropertySignature:
        if ((n as ts.PropertySignature).questionToken) L.report(n, "construct", ["an optional field"]);
        break;
      case ts.SyntaxKind.EnumDeclaration:
        if (!ts.getModifiers(n as ts.EnumDeclaration)?.some((m) => m.kind === ts.SyntaxKind.ConstKeyword)) L.report(n, "construct", [`a non-const enum (write const enum ${(n as ts.EnumDeclaration).name.text} { … })`]);
        break;
      case ts.SyntaxKind.VariableStatement:
        if (ts.isSourceFile(n.parent) && !((n as ts.VariableStatement).declarationList.flags & ts.NodeFlags.Const))
          L.report(n, "construct", ["a module-level 'let' (module state; use const)"]);
        break;
    }
    if (ts.isSourceFile(n.parent ?? n) && n.parent && !isTopLevelOk(n)) L.report(n, "construct", ["top-level code outside a declaration"]);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  findRecursion(L, sf, checker);
}

function isTopLevelOk(n: ts.Node): boolean {
  return ts.isFunctionDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isVariableStatement(n) ||
    ts.isEnumDeclaration(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || n.kind === ts.SyntaxKind.EndOfFileToken ||
    ts.isClassDeclaration(n) || ts.isModuleDeclaration(n) || ts.isExportAssignment(n) || ts.isImportEqualsDeclaration(n) || ts.isEmptyStatement(n);
}

/** Report each call that closes a cycle in the call graph of the file's functions. */
function findRecursion(L: Lowering, sf: ts.SourceFile, checker: ts.TypeChecker): void {
  const calls = new Map<ts.FunctionDeclaration, { callee: ts.FunctionDeclaration; at: ts.CallExpression }[]>();
  const calleesOf = (f: ts.FunctionDeclaration) => {
    let list = calls.get(f);
    if (list) return list;
    list = [];
    calls.set(f, list);
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        let s = checker.getSymbolAtLocation(n.expression);
        if (s && s.flags & ts.SymbolFlags.Alias) s = checker.getAliasedSymbol(s);
        const d = s?.declarations?.[0];
        if (d && ts.isFunctionDeclaration(d) && d.body && !d.getSourceFile().isDeclarationFile) list!.push({ callee: d, at: n });
      }
      ts.forEachChild(n, visit);
    };
    if (f.body) visit(f.body);
    return list;
  };
  for (const st of sf.statements) {
    if (!ts.isFunctionDeclaration(st) || !st.body) continue;
    // DFS from st looking for a path back to st.
    const stack: { f: ts.FunctionDeclaration; via: string[] }[] = [{ f: st, via: [] }];
    const seen = new Set<ts.FunctionDeclaration>();
    while (stack.length) {
      const { f, via } = stack.pop()!;
      for (const { callee, at } of calleesOf(f)) {
        if (callee === st) {
          const name = st.name?.text ?? "?";
          if (f === st) L.report(at, "recursion", [name, "a direct call"]);
          else L.report(firstCallTo(calleesOf(st), via[0]) ?? st, "recursion", [name, [name, ...via, name].join(" → ")]);
          stack.length = 0;
          break;
        }
        if (!seen.has(callee)) { seen.add(callee); stack.push({ f: callee, via: [...via, callee.name?.text ?? "?"] }); }
      }
    }
  }
}

function firstCallTo(list: { callee: ts.FunctionDeclaration; at: ts.CallExpression }[], name: string | undefined): ts.Node | undefined {
  return list.find((c) => c.callee.name?.text === name)?.at;
}

/** A state field name in a kernel's options, `kernel(INIT, step, { readable: ["stats"] })` (checked in kernel.ts). */
function isReadableName(p: ts.Node): boolean {
  const prop = p.parent, obj = prop?.parent, call = obj?.parent;
  return ts.isArrayLiteralExpression(p) && !!prop && ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === "readable" &&
    !!obj && ts.isObjectLiteralExpression(obj) && !!call && ts.isCallExpression(call) && call.arguments[2] === obj &&
    ts.isIdentifier(call.expression) && call.expression.text === "kernel";
}
