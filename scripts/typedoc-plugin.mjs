// @ts-check
/**
 * The two rules typedoc cannot be told in its configuration, for `npm run docs` (typedoc.json).
 *
 * 1. A link to a command group's method (`{@link StringCommands.set}`, which editors resolve inside
 *    lib/commands/) points at that method on `Redis`: the groups are mixins copied onto `Redis`,
 *    `ContextRedis`, `Pipeline` and `MultiExec`, not part of the documented API.
 * 2. The members of an object type written as a type-level pattern (the `extends` clause of a
 *    conditional type, `O extends { withScores: true } ? …`, or a type parameter's constraint,
 *    `<O extends ZRangeOptions & { count: number }>`) need no TSDoc of their own: they select an
 *    overload or a reply type, and the option they test is documented in its options interface.
 *    They are added to `intentionallyNotDocumented`, so every other member still must have TSDoc.
 */
import { Converter, ReflectionKind, ReflectionSymbolId, makeRecursiveVisitor } from 'typedoc';

const GROUP_METHOD = /^[A-Z]\w*Commands\.(\w+)$/;

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Before the link resolver (priority -300), so links to group methods arrive already resolved.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      retargetGroupLinks(context.project);
      exemptTypePatterns(app, context.project);
    },
    100,
  );
}

/** @param {import('typedoc').ProjectReflection} project */
function retargetGroupLinks(project) {
  const redis = project.getChildByName('Redis');
  if (redis === undefined) return;
  /** @param {import('typedoc').CommentDisplayPart[]} parts */
  const retarget = (parts) => {
    for (const part of parts) {
      if (part.kind !== 'inline-tag' || !part.tag.startsWith('@link')) continue;
      let name;
      if (part.target instanceof ReflectionSymbolId) {
        if (project.getReflectionsFromSymbolId(part.target).length > 0) continue;
        name = part.target.qualifiedName;
      } else if (part.target === undefined) {
        // Where TypeScript did not resolve the link (a union member's comment), only its text.
        name = part.text.split('|')[0].trim();
      } else continue;
      const method = GROUP_METHOD.exec(name)?.[1];
      const target = method === undefined ? undefined : redis.getChildByName(method);
      if (target === undefined) continue; // left to typedoc, which reports it
      part.target = target;
      const text = part.tsLinkText || part.text.split('|')[1]?.trim();
      part.text = text || `Redis.${method}`;
    }
  };
  // A union member's TSDoc (`/** … */ | { byBox: … }`) hangs on the type, not on a reflection.
  const inUnions = makeRecursiveVisitor({
    union: (type) => type.elementSummaries?.forEach(retarget),
  });
  for (const reflection of Object.values(project.reflections)) {
    if (reflection.isDeclaration()) reflection.type?.visit(inUnions);
    if (reflection.comment === undefined) continue;
    retarget(reflection.comment.summary);
    for (const tag of reflection.comment.blockTags) retarget(tag.content);
  }
}

/**
 * @param {import('typedoc').Application} app
 * @param {import('typedoc').ProjectReflection} project
 */
function exemptTypePatterns(app, project) {
  /** @type {Set<string>} */
  const names = new Set();
  /** @param {import('typedoc').DeclarationReflection} declaration */
  const exempt = (declaration) => {
    for (const member of declaration.children ?? []) {
      if (!member.hasComment()) names.add(member.getFriendlyFullName());
      if (member.type?.type === 'reflection') exempt(member.type.declaration);
    }
  };
  /** @param {import('typedoc').SomeType | undefined} type */
  const exemptAllIn = (type) =>
    type?.visit(makeRecursiveVisitor({ reflection: (t) => exempt(t.declaration) }));
  const inConditionals = makeRecursiveVisitor({
    conditional: (t) => exemptAllIn(t.extendsType),
  });
  for (const reflection of Object.values(project.reflections)) {
    if (reflection.kindOf(ReflectionKind.TypeParameter)) {
      exemptAllIn(/** @type {import('typedoc').TypeParameterReflection} */ (reflection).type);
    } else if (reflection.isDeclaration() || reflection.isSignature()) {
      reflection.type?.visit(inConditionals);
    }
  }
  const configured = app.options.getValue('intentionallyNotDocumented');
  app.options.setValue('intentionallyNotDocumented', [
    ...configured,
    ...[...names].filter((name) => !configured.includes(name)),
  ]);
}
