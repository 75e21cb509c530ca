<?php
// Computes reference vectors with PHP's own openssl/hash functions, following the
// provider documents literally (the providers' integration documents). Output: JSON on stdout.

// ---- Bankconnect (seed 000_f1a373677fb21da2.txt): AES-128-CTR, key = MD5(merchant_no . secret), options 0
function bc_encrypt($plain, $merchantNo, $secret, $iv) {
    $key = md5($merchantNo . $secret);             // 32 hex chars; openssl uses the first 16 bytes
    $b64 = base64_encode($plain);                  // "ENCODE your string to BASE64"
    $ct = openssl_encrypt($b64, 'aes-128-ctr', $key, 0, $iv); // options 0 -> base64 text
    return base64_encode($ct);                     // "Final encryption is BASE64 of encryption value"
}
function bc_decrypt($wire, $merchantNo, $secret, $iv) {
    $key = md5($merchantNo . $secret);
    $ct = base64_decode($wire);
    $b64 = openssl_decrypt($ct, 'aes-128-ctr', $key, 0, $iv);
    return base64_decode($b64);
}
$bc = [];
$cases = [
  ['0035', '35kjfkh45', 'a1b2c3d4e5f6g7h8', '[{"order_id":"93893832223","bank":"0","trx_type":"NEFT","payeename":"Test","bnf_nick_name":"test","amount":"1.00","account_no":"893338378373","ifsc":"SBINXXXXXXX","address1":"madanpur","city":"saritavihar","state":"delhi","pincode":"110076","email":"m@gmail.com","phone":"9821593611"}]'],
  ['0035', '35kjfkh45', 'a1b2c3d4e5f6g7h8', '[{"status":"SUCCESS","order_id":"93893832223","payment_code":"SUCC200","message":"","utr":"39389383983"}]'],
  ['1890', 'connectbank_secret', '0000111122223333', '[{"order_id":"A1","bank":"0","trx_type":"IMPS","payeename":"Ravi Kumar","bnf_nick_name":"ravi","amount":"2500.50","account_no":"1234567890","ifsc":"HDFC0001234","address1":"mg road","city":"pune","state":"mh","pincode":"411001","email":"r@example.com","phone":"9000000000"}]'],
];
foreach ($cases as [$m, $s, $iv, $plain]) {
    $wire = bc_encrypt($plain, $m, $s, $iv);
    assert(bc_decrypt($wire, $m, $s, $iv) === $plain);
    $bc[] = ['merchant_no' => $m, 'secret' => $s, 'iv' => $iv, 'key_md5_hex' => md5($m . $s),
             'aes_key_ascii' => substr(md5($m . $s), 0, 16), 'plaintext' => $plain, 'wire' => $wire,
             'user_token' => base64_encode($m . '::' . $s)];
}

// ---- PayAtom (seed 001_2ba833a2bd8f7455.txt): encrypt() exactly as the seed's PHP, IV fixed for reproducibility
function pa_encrypt($plaintext, $password, $iv) {
    $method = "AES-256-CBC";
    $key = hash('sha256', $password, true);
    $ciphertext = openssl_encrypt($plaintext, $method, $key, OPENSSL_RAW_DATA, $iv);
    $hash = hash_hmac('sha256', $ciphertext . $iv, $key, true);
    return $iv . $hash . $ciphertext;
}
function pa_decrypt($ivHashCiphertext, $password) {
    $method = "AES-256-CBC";
    $iv = substr($ivHashCiphertext, 0, 16);
    $hash = substr($ivHashCiphertext, 16, 32);
    $ciphertext = substr($ivHashCiphertext, 48);
    $key = hash('sha256', $password, true);
    if (!hash_equals(hash_hmac('sha256', $ciphertext . $iv, $key, true), $hash)) return null;
    return openssl_decrypt($ciphertext, $method, $key, OPENSSL_RAW_DATA, $iv);
}
$pa = ['webhook' => [], 'status_polling' => [], 'v2_signature' => []];
$iv = hex2bin('000102030405060708090a0b0c0d0e0f');
foreach ([['ORD1234567890', '100', 'Approved', 'mysecretpassword'], ['ORD1234567891', '2000', 'Declined', 's3cr3t-KEY'], ['ORDX000000001', '0', 'User Timed Out', 's3cr3t-KEY']] as [$o, $amt, $st, $sec]) {
    $local = md5($o . $amt . $st . $sec);
    $blob = pa_encrypt($local, $sec, $iv);
    assert(pa_decrypt($blob, $sec) === $local);
    $pa['webhook'][] = ['order_id' => $o, 'received_amount' => $amt, 'status' => $st, 'secret_key' => $sec,
        'iv_hex' => bin2hex($iv), 'md5_plain' => $local, 'post_hash' => base64_encode($blob)];
}
foreach ([['asas63elfe596ed8', '5345f345345', 'mysecretpassword']] as [$ref, $pid, $sec]) {
    $local = md5($ref . $pid . $sec);
    $pa['status_polling'][] = ['ref_code' => $ref, 'pid' => $pid, 'secret_key' => $sec, 'iv_hex' => bin2hex($iv),
        'md5_plain' => $local, 'post_hash' => base64_encode(pa_encrypt($local, $sec, $iv))];
}
// v2 signature: every body field but 'signature', keys sorted A-Z, json_encode (PHP defaults), secret appended, sha256 hex
$body = ['pid' => 'your-partner-id', 'amount' => 100, 'redirect_url' => 'https://your-domain.com/return_page', 'ip' => 'your-server-ip',
         'name' => 'Customer Name', 'email' => 'customer@email.com', 'phone' => '9876543210', 'latitude' => '28.7041', 'longitude' => '77.1025', 'customer_id' => 'CUST001'];
ksort($body);
$json = json_encode($body);
$pa['v2_signature'][] = ['body' => $body, 'secret_key' => 'your-secret-key', 'string_to_hash' => $json . 'your-secret-key', 'signature' => hash('sha256', $json . 'your-secret-key')];
$body2 = ['pid' => 'P1', 'amount' => 250, 'order_id' => 'ORD/2026/ü', 'name' => 'Zoë', 'email' => 'z@example.com', 'phone' => '9000000000'];
ksort($body2);
$json2 = json_encode($body2);
$pa['v2_signature'][] = ['body' => $body2, 'secret_key' => 'k', 'string_to_hash' => $json2 . 'k', 'signature' => hash('sha256', $json2 . 'k')];

echo json_encode(['generated_by' => 'PHP ' . PHP_VERSION . ' (openssl, hash), code paths as in the provider documents',
                  'bankconnect' => $bc, 'payatom' => $pa], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
