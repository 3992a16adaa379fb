package dev.chainkit.bench.p6;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The reference: gRPC-java unary calls over loopback TCP carrying the same bytes as chainkit's frames (a byte-array
 * marshaller, no code generation), one event-loop thread per side and the direct executor on both, so its threads
 * match the engine's. Each response starts the next call.
 *
 * <p>Thread safety: a benchmark driver; its loop runs on the client channel's event-loop thread.
 */
final class GrpcUnary implements Contender {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> PING = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("chainkit.Bench/Ping")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup serverLoop = new NioEventLoopGroup(1);
    private final EventLoopGroup clientLoop = new NioEventLoopGroup(1);
    private final Server server;
    private final ManagedChannel channel;

    GrpcUnary() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("chainkit.Bench")
                .addMethod(PING, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> response) -> {
                    response.onNext(WireBytes.REPLY);
                    response.onCompleted();
                })).build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .bossEventLoopGroup(boss).workerEventLoopGroup(serverLoop).channelType(NioServerSocketChannel.class)
                .directExecutor().addService(service).build().start();
        channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        server.getPort())).eventLoopGroup(clientLoop).channelType(NioSocketChannel.class)
                .directExecutor().usePlaintext().build();
    }

    @Override
    public String name() {
        return "gRPC unary";
    }

    @Override
    public void start(Loop loop, int inFlight) {
        for (int i = 0; i < inFlight; i++) {
            call(loop);
        }
    }

    private void call(Loop loop) {
        long start = System.nanoTime();
        ClientCalls.asyncUnaryCall(channel.newCall(PING, CallOptions.DEFAULT), WireBytes.REQUEST,
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (loop.running()) {
                            throw new IllegalStateException("a gRPC call failed", t);
                        }
                    }

                    @Override
                    public void onCompleted() {
                        loop.completed(start);
                        if (loop.running()) {
                            call(loop);
                        }
                    }
                });
    }

    @Override
    public long[] threadIds() throws Exception {
        return new long[] {clientLoop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS),
                serverLoop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS)};
    }

    @Override
    public void sync() throws Exception {
        clientLoop.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
