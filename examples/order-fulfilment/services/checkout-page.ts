import { CUSTOMERS, PRODUCTS } from '../catalogue.js';

/** The checkout's web page: an order form, the orders with what happened to them, and each service's state. */
export function checkoutPage(): string {
  const customers = CUSTOMERS.map((c) => `<option value="${c.id}">${c.name}</option>`).join('');
  const products = PRODUCTS.map(
    (p) =>
      `<option value="${p.sku}">${p.name} (${p.price} €${p.bulky ? ', bulky: slow carrier' : ''})</option>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton sample: order fulfilment</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  form { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
  button { padding: .4rem .8rem; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  .orchestrated { color: #0b5394; } .choreographed { color: #38761d; }
  .done { color: #666; } small { color: #666; }
  pre { background: #f5f5f5; padding: .5rem; font-size: 12px; overflow: auto; }
  .services { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; }
</style></head>
<body>
<h1>Order fulfilment with Baton</h1>
<p>Place an order; the order service runs it as a flow in Baton (<b class="orchestrated">orchestrated</b>), or the
services pass it on by events while a Baton flow only tracks it (<b class="choreographed">choreographed</b>).
<span id="cockpit"></span></p>
<form id="order">
  <select name="customerId">${customers}</select>
  <select name="sku">${products}</select>
  <input name="quantity" type="number" value="1" min="1" style="width:4rem">
  <button name="mode" value="orchestrated">Order (orchestrated)</button>
  <button name="mode" value="choreographed">Order (choreographed)</button>
</form>
<h2>Orders</h2>
<table><thead><tr><th>Order</th><th>Customer</th><th>Items</th><th>Amount</th><th>Status</th><th>What happened</th></tr></thead>
<tbody id="orders"></tbody></table>
<h2>Each service's own state</h2>
<div class="services" id="services"></div>
<script>
  const form = document.getElementById('order');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    await fetch('/api/orders', { method: 'POST', body: JSON.stringify({
      customerId: data.get('customerId'), mode: event.submitter.value,
      items: [{ sku: data.get('sku'), quantity: Number(data.get('quantity')) }] }) });
    refresh();
  });
  async function newCard(orderId) {
    await fetch('/api/orders/' + encodeURIComponent(orderId) + '/new-card', { method: 'POST' });
    refresh();
  }
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  async function refresh() {
    const state = await (await fetch('/api/state')).json();
    if (state.cockpit) document.getElementById('cockpit').innerHTML = 'Watch them in the <a href="' + esc(state.cockpit) + '" target="_blank">Baton cockpit</a>.';
    document.getElementById('orders').innerHTML = state.checkout.orders.map((o) =>
      '<tr class="' + (o.done ? 'done' : '') + '"><td>' + esc(o.orderId) + '<br><small class="' + o.mode + '">' + o.mode + '</small></td>' +
      '<td>' + esc(o.customerId) + '</td><td>' + o.items.map((l) => l.quantity + ' × ' + esc(l.sku)).join(', ') + '</td>' +
      '<td>' + o.amount + ' €</td><td><b>' + esc(o.status) + '</b>' +
      (o.waitingForCard ? '<br><button onclick="newCard(\\'' + esc(o.orderId) + '\\')">Update card</button>' : '') + '</td>' +
      '<td><small>' + o.history.map((h) => esc(h.type) + ' <i>(' + esc(h.source) + ')</i>').join('<br>') + '</small></td></tr>').join('');
    document.getElementById('services').innerHTML = Object.entries(state.services).map(([name, s]) =>
      '<div><b>' + esc(name) + '</b><pre>' + esc(JSON.stringify(s, null, 1)) + '</pre></div>').join('');
  }
  refresh(); setInterval(refresh, 1000);
</script>
</body></html>`;
}
