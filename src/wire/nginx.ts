/**
 * nginx's own error page, byte for byte (CRLF line ends, `<center>nginx</center>`), as a gateway
 * or a PHP site behind nginx answers before any application code runs. One page for the engine's
 * `http-500`/`http-503` faults and for providers whose 404/413 come from nginx.
 *
 * @example
 * new Response(nginxErrorPage(404, 'Not Found'), { status: 404, headers: { 'content-type': 'text/html' } })
 */
export function nginxErrorPage(status: number, text: string): string {
  return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}
