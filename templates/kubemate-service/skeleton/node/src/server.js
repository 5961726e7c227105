const http = require('node:http');

const port = Number(process.env.PORT ?? 8080);

function handler(req, res) {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return res.end('ok');
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  return res.end(JSON.stringify({ service: '${{ values.name }}' }));
}

if (require.main === module) {
  http.createServer(handler).listen(port, () => {
    console.log(`${{ values.name }} listening on :${port}`);
  });
}

module.exports = { handler };
