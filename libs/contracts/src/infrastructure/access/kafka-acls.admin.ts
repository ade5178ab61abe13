import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type AclEntry,
} from 'kafkajs';
import {
  diffAcls,
  type AclDiff,
  type AclOperation,
  type AclPatternType,
  type AclResourceType,
  type KafkaAcl,
} from '../../domain/access/kafka-acls';

// kafkajs's enums are plain objects at run time (name -> number): no reverse mapping.
const nameOf = (values: Record<string, unknown>, value: number): string =>
  Object.keys(values).find((name) => values[name] === value) ?? `UNKNOWN(${value})`;

/** The broker's ACLs in the bus's terms. Only allow rules for any host are ours to manage. */
export async function actualKafkaAcls(admin: Admin): Promise<KafkaAcl[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources.flatMap((resource) =>
    resource.acls.map((acl) => {
      const foreign = acl.permissionType !== AclPermissionTypes.ALLOW || acl.host !== '*';
      return {
        // A deny or host-bound rule is never wanted: it shows as extra under its own label.
        principal: `${acl.principal.replace(/^User:/, '')}${foreign ? ` (${nameOf(AclPermissionTypes, acl.permissionType)} from ${acl.host})` : ''}`,
        resourceType: nameOf(AclResourceTypes, resource.resourceType) as AclResourceType,
        resourceName: resource.resourceName,
        patternType: nameOf(ResourcePatternTypes, resource.resourcePatternType) as AclPatternType,
        operation: nameOf(AclOperationTypes, acl.operation) as AclOperation,
      };
    }),
  );
}

function entry(acl: KafkaAcl): AclEntry {
  return {
    principal: `User:${acl.principal}`,
    host: '*',
    permissionType: AclPermissionTypes.ALLOW,
    operation: AclOperationTypes[acl.operation],
    resourceType: AclResourceTypes[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: ResourcePatternTypes[acl.patternType],
  };
}

export async function kafkaAclDiff(admin: Admin, wanted: readonly KafkaAcl[]): Promise<AclDiff> {
  return diffAcls(wanted, await actualKafkaAcls(admin));
}

export async function addKafkaAcls(admin: Admin, acls: readonly KafkaAcl[]): Promise<void> {
  if (acls.length > 0) await admin.createAcls({ acl: acls.map(entry) });
}

/** Deletes exactly these ACLs (as `actualKafkaAcls` names them). */
export async function removeKafkaAcls(admin: Admin, acls: readonly KafkaAcl[]): Promise<void> {
  if (acls.length === 0) return;
  await admin.deleteAcls({
    filters: acls.map((acl) => {
      const { principal, host, permissionType, ...rest } = entry(acl);
      // The extra rule exactly, whatever its permission and host (read back from its label).
      const foreign = /^(\S+) \((\w+) from (.+)\)$/.exec(acl.principal);
      return foreign
        ? {
            ...rest,
            principal: `User:${foreign[1]}`,
            host: foreign[3] as string,
            permissionType: AclPermissionTypes[foreign[2] as keyof typeof AclPermissionTypes],
          }
        : { ...rest, principal, host, permissionType };
    }),
  });
}

/** Makes the broker's ACLs equal to `wanted`: adds the missing, deletes the extra. */
export async function applyKafkaAcls(admin: Admin, wanted: readonly KafkaAcl[]): Promise<AclDiff> {
  const diff = await kafkaAclDiff(admin, wanted);
  await addKafkaAcls(admin, diff.missing);
  await removeKafkaAcls(admin, diff.extra);
  return diff;
}
