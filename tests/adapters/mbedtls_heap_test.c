/*
 * mbedTLS on a fixed memkit heap. Debian builds mbedTLS without
 * MBEDTLS_PLATFORM_MEMORY, so this program links the static libraries with
 * -Wl,--wrap=calloc,--wrap=free: every calloc and free in them (and here) lands in
 * __wrap_calloc/__wrap_free below, over a 256 KiB mk_heap. It makes an ECDSA P-256 key
 * and a self-signed certificate, then runs a full TLS 1.2 handshake between an
 * in-memory client and server that verifies the certificate, exchanges a message each
 * way, frees everything, and reports the heap's peak. Deterministic: the random
 * generator is seeded with fixed bytes.
 */
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <string.h>

#include "memkit/alloc.h"
#include "memkit/heap.h"
#include "test.h"

static _Alignas(64) unsigned char region[256 * 1024];
static mk_heap heap;

void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *ptr);

void *__wrap_calloc(size_t n, size_t size)
{
    return mk_alloc_array(mk_heap_allocator(&heap), n, size, 0);
}

void __wrap_free(void *ptr)
{
    mk_heap_free(&heap, ptr);
}

/* Fixed "entropy": the run is the same every time. */
static int fixed_entropy(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)(i * 131u + 7u);
    return 0;
}

/* One direction of the in-memory connection. */
typedef struct pipe {
    unsigned char data[64 * 1024];
    size_t head, tail;
} pipe;

/* What one side writes to and reads from. */
typedef struct endpoint {
    pipe *out, *in;
} endpoint;

static pipe to_server, to_client;

static int pipe_send(void *ctx, const unsigned char *buf, size_t len)
{
    pipe *p = ((endpoint *)ctx)->out;
    size_t room = sizeof p->data - p->tail;
    if (room == 0)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    size_t n = len < room ? len : room;
    memcpy(p->data + p->tail, buf, n);
    p->tail += n;
    return (int)n;
}

static int pipe_recv(void *ctx, unsigned char *buf, size_t len)
{
    pipe *p = ((endpoint *)ctx)->in;
    size_t have = p->tail - p->head;
    if (have == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    size_t n = len < have ? len : have;
    memcpy(buf, p->data + p->head, n);
    p->head += n;
    if (p->head == p->tail)
        p->head = p->tail = 0;
    return (int)n;
}

static int pending(int rc)
{
    return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE;
}

static void test_handshake_on_fixed_heap(void)
{
    mk_heap_init(&heap);
    REQUIRE(mk_heap_add_region(&heap, region, sizeof region, 0) == MK_OK);

    mbedtls_ctr_drbg_context drbg;
    mbedtls_ctr_drbg_init(&drbg);
    REQUIRE(mbedtls_ctr_drbg_seed(&drbg, fixed_entropy, NULL, (const unsigned char *)"mk", 2) == 0);

    /* A key and a self-signed certificate, made here. */
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    REQUIRE(mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0);
    REQUIRE(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key),
                                mbedtls_ctr_drbg_random, &drbg) == 0);
    mbedtls_x509write_cert w;
    mbedtls_x509write_crt_init(&w);
    mbedtls_mpi serial;
    mbedtls_mpi_init(&serial);
    REQUIRE(mbedtls_mpi_lset(&serial, 1) == 0);
    mbedtls_x509write_crt_set_subject_key(&w, &key);
    mbedtls_x509write_crt_set_issuer_key(&w, &key);
    mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
    REQUIRE(mbedtls_x509write_crt_set_subject_name(&w, "CN=memkit.test") == 0);
    REQUIRE(mbedtls_x509write_crt_set_issuer_name(&w, "CN=memkit.test") == 0);
    REQUIRE(mbedtls_x509write_crt_set_serial(&w, &serial) == 0);
    REQUIRE(mbedtls_x509write_crt_set_validity(&w, "20200101000000", "20991231235959") == 0);
    REQUIRE(mbedtls_x509write_crt_set_basic_constraints(&w, 1, 0) == 0);
    static unsigned char der[2048];
    int der_len = mbedtls_x509write_crt_der(&w, der, sizeof der, mbedtls_ctr_drbg_random, &drbg);
    REQUIRE(der_len > 0);
    mbedtls_x509_crt cert;
    mbedtls_x509_crt_init(&cert);
    REQUIRE(mbedtls_x509_crt_parse_der(&cert, der + sizeof der - (size_t)der_len,
                                       (size_t)der_len) == 0);
    mbedtls_x509write_crt_free(&w);
    mbedtls_mpi_free(&serial);

    mbedtls_ssl_config scfg, ccfg;
    mbedtls_ssl_config_init(&scfg);
    mbedtls_ssl_config_init(&ccfg);
    REQUIRE(mbedtls_ssl_config_defaults(&scfg, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT) == 0);
    REQUIRE(mbedtls_ssl_config_defaults(&ccfg, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT) == 0);
    mbedtls_ssl_conf_rng(&scfg, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_rng(&ccfg, mbedtls_ctr_drbg_random, &drbg);
    REQUIRE(mbedtls_ssl_conf_own_cert(&scfg, &cert, &key) == 0);
    mbedtls_ssl_conf_ca_chain(&ccfg, &cert, NULL);
    mbedtls_ssl_conf_authmode(&ccfg, MBEDTLS_SSL_VERIFY_REQUIRED);

    mbedtls_ssl_context server, client;
    mbedtls_ssl_init(&server);
    mbedtls_ssl_init(&client);
    REQUIRE(mbedtls_ssl_setup(&server, &scfg) == 0);
    REQUIRE(mbedtls_ssl_setup(&client, &ccfg) == 0);
    REQUIRE(mbedtls_ssl_set_hostname(&client, "memkit.test") == 0);
    endpoint server_end = { &to_client, &to_server }, client_end = { &to_server, &to_client };
    mbedtls_ssl_set_bio(&server, &server_end, pipe_send, pipe_recv, NULL);
    mbedtls_ssl_set_bio(&client, &client_end, pipe_send, pipe_recv, NULL);

    /* Step both sides until neither waits; a real error on either side ends it. */
    int rc_c = MBEDTLS_ERR_SSL_WANT_READ, rc_s = MBEDTLS_ERR_SSL_WANT_READ;
    for (int round = 0; round < 100 && (rc_c != 0 || rc_s != 0); round++) {
        if (rc_c != 0)
            rc_c = mbedtls_ssl_handshake(&client);
        if (rc_s != 0)
            rc_s = mbedtls_ssl_handshake(&server);
        if ((rc_c != 0 && !pending(rc_c)) || (rc_s != 0 && !pending(rc_s)))
            break;
    }
    CHECK(rc_c == 0 && rc_s == 0);
    CHECK(mbedtls_ssl_get_verify_result(&client) == 0);
    printf("  handshake done: %s, %s\n", mbedtls_ssl_get_version(&client),
           mbedtls_ssl_get_ciphersuite(&client));

    static const char hello[] = "hello from the client";
    static const char reply[] = "and hello back";
    unsigned char buf[64] = { 0 };
    CHECK(mbedtls_ssl_write(&client, (const unsigned char *)hello, sizeof hello) == (int)sizeof hello);
    CHECK(mbedtls_ssl_read(&server, buf, sizeof buf) == (int)sizeof hello && memcmp(buf, hello, sizeof hello) == 0);
    CHECK(mbedtls_ssl_write(&server, (const unsigned char *)reply, sizeof reply) == (int)sizeof reply);
    CHECK(mbedtls_ssl_read(&client, buf, sizeof buf) == (int)sizeof reply && memcmp(buf, reply, sizeof reply) == 0);

    mk_heap_stats s;
    mk_heap_get_stats(&heap, 0, &s);
    CHECK(s.alloc_count > 50); /* the allocations really came here */
    mbedtls_ssl_free(&client);
    mbedtls_ssl_free(&server);
    mbedtls_ssl_config_free(&ccfg);
    mbedtls_ssl_config_free(&scfg);
    mbedtls_x509_crt_free(&cert);
    mbedtls_pk_free(&key);
    mbedtls_ctr_drbg_free(&drbg);
    mk_heap_get_stats(&heap, 0, &s);
    printf("  heap %zu bytes: peak used %zu bytes in blocks, %zu allocations, %zu live after freeing\n",
           sizeof region, s.peak_used_bytes, s.alloc_count, s.used_blocks);
    CHECK(s.used_blocks == 0);
    CHECK(mk_heap_check(&heap) == MK_OK);
}

int main(void)
{
    RUN(test_handshake_on_fixed_heap);
    TEST_MAIN_END();
}
