/**
 * The dialect table: every TypeScript syntax kind the front end can meet is classified here as
 * `lowered` (the lowering handles it), `noEmit` (types, declarations and punctuation that produce
 * no hardware) or banned with the catalogue entry to report. check.ts walks user files against it
 * so every banned construct is reported in one run; lower.ts treats a kind it does not handle as
 * an internal error with the position. A kind missing from the table is reported as a construct
 * outside the dialect, never ignored.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import type { DiagKey } from "../diagnostics/catalogue.js";

export type Classification = "lowered" | "noEmit" | { banned: DiagKey; what?: string };

const K = ts.SyntaxKind;
const table = new Map<ts.SyntaxKind, Classification>();
const set = (c: Classification, ...kinds: ts.SyntaxKind[]) => kinds.forEach((k) => table.set(k, c));
const ban = (banned: DiagKey, what: string | undefined, ...kinds: ts.SyntaxKind[]) => set({ banned, what }, ...kinds);

set("lowered",
  K.SourceFile, K.FunctionDeclaration, K.Block, K.VariableStatement, K.VariableDeclarationList, K.VariableDeclaration,
  K.ExpressionStatement, K.IfStatement, K.ForStatement, K.ForOfStatement, K.WhileStatement, K.ReturnStatement,
  K.BreakStatement, K.ContinueStatement, K.SwitchStatement, K.CaseBlock, K.CaseClause, K.DefaultClause, K.EmptyStatement,
  K.Identifier, K.NumericLiteral, K.BigIntLiteral, K.TrueKeyword, K.FalseKeyword, K.BinaryExpression,
  K.PrefixUnaryExpression, K.PostfixUnaryExpression, K.ParenthesizedExpression, K.ConditionalExpression,
  K.CallExpression, K.PropertyAccessExpression, K.ElementAccessExpression, K.ObjectLiteralExpression,
  K.PropertyAssignment, K.ShorthandPropertyAssignment, K.ArrayLiteralExpression, K.AsExpression, K.SatisfiesExpression,
  K.Parameter, K.EnumDeclaration, K.EnumMember, K.ImportDeclaration, K.ImportClause, K.NamedImports, K.ImportSpecifier,
  K.ExportKeyword, K.ConstKeyword, K.StringLiteral, K.ExportDeclaration, K.NamedExports, K.ExportSpecifier,
);
set("noEmit",
  K.InterfaceDeclaration, K.TypeAliasDeclaration, K.PropertySignature, K.TypeReference, K.TypeLiteral, K.TupleType,
  K.ArrayType, K.LiteralType, K.UnionType, K.IntersectionType, K.TypeParameter, K.ExpressionWithTypeArguments,
  K.NumberKeyword, K.BigIntKeyword, K.BooleanKeyword, K.VoidKeyword, K.NeverKeyword, K.TypeQuery, K.TypeOperator,
  K.IndexedAccessType, K.ParenthesizedType, K.ConditionalType, K.MappedType, K.NamedTupleMember, K.RestType,
  K.HeritageClause, K.QualifiedName, K.EndOfFileToken, K.ReadonlyKeyword, K.DeclareKeyword, K.InferType, K.StringKeyword,
  K.SymbolKeyword, K.ObjectKeyword, K.OptionalType, K.ThisType, K.TemplateLiteralType, K.TemplateLiteralTypeSpan,
  K.MinusToken, K.PlusToken, K.ImportType,
);
// Tokens that appear as children (operators, modifiers) are lowered through their parent.
for (let k = ts.SyntaxKind.FirstPunctuation; k <= ts.SyntaxKind.LastPunctuation; k++) if (!table.has(k)) table.set(k, "noEmit");
for (let k = ts.SyntaxKind.FirstAssignment; k <= ts.SyntaxKind.LastCompoundAssignment; k++) if (!table.has(k)) table.set(k, "noEmit");

ban("class", undefined, K.ClassDeclaration, K.ClassExpression, K.Constructor, K.PropertyDeclaration, K.MethodDeclaration,
  K.GetAccessor, K.SetAccessor, K.SuperKeyword, K.Decorator, K.AbstractKeyword, K.PrivateKeyword, K.ProtectedKeyword,
  K.PublicKeyword, K.StaticKeyword, K.OverrideKeyword, K.ClassStaticBlockDeclaration, K.PrivateIdentifier);
ban("closure", undefined, K.ArrowFunction, K.FunctionExpression);
ban("exception", undefined, K.ThrowStatement, K.TryStatement, K.CatchClause);
ban("async", undefined, K.AsyncKeyword, K.AwaitExpression, K.YieldExpression);
ban("allocation", undefined, K.NewExpression, K.SpreadElement, K.SpreadAssignment);
ban("string", undefined, K.NoSubstitutionTemplateLiteral, K.TemplateExpression, K.TaggedTemplateExpression, K.RegularExpressionLiteral);
ban("anyType", "any", K.AnyKeyword);
ban("anyType", "unknown", K.UnknownKeyword);
ban("nullish", undefined, K.NullKeyword, K.UndefinedKeyword);
ban("thisKeyword", undefined, K.ThisKeyword);
ban("optionalChain", undefined, K.QuestionDotToken, K.QuestionQuestionToken, K.QuestionQuestionEqualsToken);
ban("construct", "a do…while loop (use a for loop with a compile-time bound)", K.DoStatement);
ban("construct", "for…in", K.ForInStatement);
ban("construct", "'delete'", K.DeleteExpression);
ban("construct", "'typeof' in an expression", K.TypeOfExpression);
ban("construct", "'void'", K.VoidExpression);
ban("construct", "a labeled statement", K.LabeledStatement);
ban("construct", "'with'", K.WithStatement);
ban("construct", "'debugger'", K.DebuggerStatement);
ban("construct", "a non-null assertion '!'", K.NonNullExpression);
ban("construct", "an angle-bracket type assertion", K.TypeAssertionExpression);
ban("construct", "a comma expression", K.CommaListExpression);
ban("construct", "a method or accessor in an object literal", K.MethodSignature, K.CallSignature, K.ConstructSignature, K.IndexSignature);
ban("construct", "a destructuring pattern", K.ObjectBindingPattern, K.ArrayBindingPattern, K.BindingElement);
ban("construct", "a namespace or module declaration", K.ModuleDeclaration, K.ModuleBlock);
ban("construct", "'export =' / default export", K.ExportAssignment);
ban("construct", "'import x = require(…)'", K.ImportEqualsDeclaration, K.ExternalModuleReference);
ban("construct", "'instanceof' or 'in'", K.InstanceOfKeyword, K.InKeyword);
ban("construct", "a function type", K.FunctionType, K.ConstructorType);
ban("construct", "'var' (use let or const)", K.VarKeyword);
ban("construct", "a generic type parameter on a function", K.TypeParameter);
ban("construct", "an omitted array element", K.OmittedExpression);
ban("construct", "a namespace import (import * as x; import the names you use)", K.NamespaceImport);
ban("construct", "a default import", K.ImportAttributes);
ban("construct", "JSX", K.JsxElement, K.JsxSelfClosingElement, K.JsxFragment);

export function classify(kind: ts.SyntaxKind): Classification | undefined {
  return table.get(kind);
}
export function kindName(kind: ts.SyntaxKind): string {
  return ts.SyntaxKind[kind];
}
