import { Type, type Static } from '@sinclair/typebox';
import { cidr, ipAddress, manifestSchema, nameReference, strictObject } from './common.js';

export const NETWORK_PURPOSES = ['management', 'ipmi', 'provisioning', 'vxlan', 'public', 'ceph', 'ceph-cluster', 'storage', 'other'] as const;

const AddressRangeSchema = strictObject(
  {
    start: ipAddress('First address of the range'),
    end: ipAddress('Last address of the range, inclusive'),
  },
  'An inclusive range of addresses plinth may allocate from.',
);

const PerLocationSubnetSchema = strictObject(
  {
    location: nameReference('The Location whose machines use this subnet.'),
    cidr: cidr('Subnet of the network in that location; inside the network\'s CIDR'),
    gateway: Type.Optional(ipAddress('Gateway of the subnet')),
    ranges: Type.Optional(Type.Array(AddressRangeSchema, { description: 'Allocation ranges of the subnet.' })),
  },
  'A subnet used in one Location only, e.g. one per rack with BGP-to-host.',
);

export const NetworkSpecSchema = strictObject(
  {
    purpose: Type.Union(
      NETWORK_PURPOSES.map((purpose) => Type.Literal(purpose)),
      { description: 'What the network carries; decides which interface and which ENC parameters it feeds.' },
    ),
    cidr: cidr('Address block of the network'),
    vlan: Type.Optional(Type.Integer({ minimum: 1, maximum: 4094, description: 'IEEE 802.1Q VLAN id; absent for untagged.' })),
    gateway: Type.Optional(ipAddress('Default gateway on this network; inside the CIDR')),
    ranges: Type.Optional(Type.Array(AddressRangeSchema, { description: 'Ranges plinth allocates addresses from; the whole CIDR when absent.' })),
    reserved: Type.Optional(Type.Array(ipAddress('An address plinth never allocates'), { description: 'Addresses plinth never allocates (VIPs, switches, routers).' })),
    mtu: Type.Optional(Type.Integer({ minimum: 576, maximum: 9216, description: 'MTU of interfaces on this network (default 1500).' })),
    bgpToHost: Type.Optional(Type.Boolean({ description: 'Whether hosts announce their address with BGP instead of sharing an L2 segment.' })),
    perLocation: Type.Optional(Type.Array(PerLocationSubnetSchema, { description: 'Subnets that apply only in some Locations.' })),
  },
  'An IP network of the cluster.',
);

export const NetworkSchema = manifestSchema('Network', 'network', NetworkSpecSchema, 'An IP network: purpose, CIDR, VLAN and the addresses plinth may allocate.');
export type Network = Static<typeof NetworkSchema>;
