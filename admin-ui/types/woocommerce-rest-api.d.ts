/**
 * The sidecar's code is type-checked here too, through the API contracts the UI imports, but with
 * this project's bundler resolution. The sidecar runs on Node, where the default import of this
 * CommonJS package is its whole exports object (the class is `.default` of it); bundler resolution
 * would make it the class, and the sidecar's REST client, written for Node, would not check. This
 * gives the package the shape Node gives it. The UI itself never imports the package.
 */
import type * as WooCommerceRestApi from '../../node_modules/@woocommerce/woocommerce-rest-api/index.js';

declare const exportsObject: typeof WooCommerceRestApi;
export default exportsObject;
export type * from '../../node_modules/@woocommerce/woocommerce-rest-api/index.js';
