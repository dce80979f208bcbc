import { describe, expect, it } from 'vitest';
import { checkDestination, isPrivateAddress } from './destination-guard.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd12::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['not-an-ip', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
    ['::ffff:8.8.8.8', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('checkDestination', () => {
  const publicDns = async () => ['93.184.216.34'];
  it('accepts a public https URL', async () => {
    await expect(
      checkDestination('https://hooks.example.com/x', { allowPrivate: false, resolve: publicDns }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /private, loopback or link-local address \(127\.0\.0\.1\)/],
    ['http://[::1]/hook', /::1/],
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
    ['http://localhost:9000/', /this machine/],
    ['ftp://example.com/x', /ftp: URLs are not allowed/],
  ])('refuses %s', async (url, message) => {
    await expect(checkDestination(url, { allowPrivate: false, resolve: publicDns })).rejects.toThrow(message);
  });

  it('refuses a name that resolves to a private address (checked again before each send)', async () => {
    const rebinding = async () => ['93.184.216.10', '10.0.0.5'];
    await expect(
      checkDestination('https://hooks.example.com/x', { allowPrivate: false, resolve: rebinding }),
    ).rejects.toThrow(/10\.0\.0\.5.*ADWARDEN_ALLOW_PRIVATE_DESTINATIONS=true/);
  });

  it('lets the operator allow private destinations, but never other schemes', async () => {
    await expect(checkDestination('http://127.0.0.1/hook', { allowPrivate: true })).resolves.toBeUndefined();
    await expect(checkDestination('file:///etc/passwd', { allowPrivate: true })).rejects.toThrow(/file:/);
  });
});
