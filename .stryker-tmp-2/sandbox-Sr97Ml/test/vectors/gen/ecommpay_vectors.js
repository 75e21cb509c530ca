// @ts-nocheck
// Signature vectors for ECommPay computed with ECommPay's own published JS SDK
// (npm package "ecommpay", signer.js / callback.js / payment.js). Usage: node ecommpay_vectors.js <path-to-sdk>
const sdk = process.argv[2];
const signer = require(`${sdk}/src/signer.js`);
const { Payment } = require(`${sdk}/index.js`);
const out = { generated_by: 'npm package ecommpay@0.1.7 (official JS SDK): src/signer.js, src/payment.js', gate_bodies: [], callbacks: [], payment_page: [] };
const secret = 'kHRhsQHHhOUHeD+rt4kgH7OZiwE=';
const bodies = [
  { general: { project_id: 112, payment_id: 'ORDER_I1558600157' }, payment: { amount: 150000, currency: 'INR' },
    customer: { id: '24900', ip_address: '1.2.3.4' },
    account: { customer_name: 'John Waynen', bank_code: 'SBIN0000001', bank_id: 403, number: '5588994446666' } },
  { general: { project_id: 112, payment_id: 'ORDER_1558600157' },
    customer: { email: 'waynen@example.com', first_name: 'John', last_name: 'Waynen', phone: '123456789', zip: '400009', city: 'Mumbai',
      address: '99, Chakla Street, Masjid Bunder (east)', ip_address: '1.2.3.4', id: 'customer1' },
    payment: { amount: 1500, currency: 'INR' }, return_url: { success: 'https://www.example.com' } },
  { general: { project_id: 112, payment_id: 'ECT_TEST_1572258898441234343232' }, payment: { description: 'test_refund' } },
  { general: { project_id: 112, payment_id: 'ORDER_155860015' }, payment: { amount: 1000, currency: 'INR' } },
  { general: { project_id: 112, payment_id: 'ORDER_155860015' } },
];
for (const b of bodies) out.gate_bodies.push({ secret, body: b, signature: signer(b, secret) });
const cbs = [
  { project_id: 239, payment: { id: 'EP8550-ad59', type: 'purchase', status: 'success', date: '2020-05-13T09:06:45+0000', method: 'India banks', sum: { amount: 1000, currency: 'INR' }, description: 'test' },
    customer: { id: '345435435' },
    operation: { id: 548, type: 'sale', status: 'success', date: '2020-05-13T09:06:45+0000', created_date: '2020-05-13T09:05:47+0000',
      request_id: '7b0f630c3f2f395bba2738cf90866bd4dd50bd3-00000001', sum_initial: { amount: 1000, currency: 'INR' }, sum_converted: { amount: 1000, currency: 'INR' },
      code: '0', message: 'Success', provider: { id: 2080, payment_id: '15141-1589360772-25', auth_code: '' } } },
  { project_id: 239, payment: { id: 'ORDER53', type: 'payout', status: 'success', date: '2020-05-21T13:23:32+0000', method: 'India banks', sum: { amount: 100000, currency: 'INR' }, description: 'description' },
    account: { number: '123456' }, customer: { id: '24901' },
    operation: { id: 1386, type: 'payout', status: 'success', date: '2020-05-21T13:23:32+0000', created_date: '2020-05-21T13:23:28+0000',
      request_id: 'e48da2df266940ce5f534ae31237ca774b6fb-00000002', sum_initial: { amount: 100000, currency: 'INR' }, sum_converted: { amount: 100000, currency: 'INR' },
      code: '0', message: 'Success', provider: { id: 2080, payment_id: '15141-1589360772-26', auth_code: '' } } },
  { project_id: 239, payment: { id: 'X1', type: 'purchase', status: 'awaiting redirect result', date: '2020-05-13T09:06:45+0000', method: 'India banks', sum: { amount: 1000, currency: 'INR' }, description: '' },
    redirect_data: { body: [], method: 'GET', url: 'https://example.com/payment/initialize/api/123', encrypted: [] } },
];
for (const c of cbs) out.callbacks.push({ secret: 'secret', body: c, signature: signer(c, 'secret') });
const p = new Payment('112', secret);
p.paymentAmount = 200000; p.paymentId = 'X03936'; p.paymentCurrency = 'INR'; p.customerId = 'customer123';
p.forcePaymentMethod = 'online-indian-banks';
out.payment_page.push({ secret, project_id: 112, url: p.getUrl() });
console.log(JSON.stringify(out, null, 2));
