import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { companyFromGeneralSettings } from './shop-connection.ts';
import { storeAddressLines, type StoreAddressParts } from './store-address.ts';

// The same file the plugin's PHPUnit suite checks (test/php/tests/ShopProfileEndpointTest.php).
const file = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/store-address.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; parts: StoreAddressParts; expected: string[] }>;
};

describe('storeAddressLines (WC_Countries::get_formatted_address)', () => {
  it.each(file.vectors)('$name', ({ parts, expected }) => {
    expect(storeAddressLines(parts)).toEqual(expected);
  });
});

describe('companyFromGeneralSettings', () => {
  it('writes a US store address as WooCommerce does: "Testville, CA 90001"', () => {
    const company = companyFromGeneralSettings(
      {
        woocommerce_store_address: '1 Test Street',
        woocommerce_store_address_2: '',
        woocommerce_store_city: 'Testville',
        woocommerce_store_postcode: '90001',
        woocommerce_default_country: 'US:CA',
      },
      'Shop',
    );
    expect(company.address).toEqual(['1 Test Street', 'Testville, CA 90001', 'United States']);
  });
  it('writes a Polish one postcode first', () => {
    const company = companyFromGeneralSettings(
      {
        woocommerce_store_address: 'ul. Długa 5/7',
        woocommerce_store_city: 'Warszawa',
        woocommerce_store_postcode: '00-238',
        woocommerce_default_country: 'PL',
      },
      'Sklep',
    );
    expect(company.address).toEqual(['ul. Długa 5/7', '00-238 Warszawa', 'Poland']);
  });
});
