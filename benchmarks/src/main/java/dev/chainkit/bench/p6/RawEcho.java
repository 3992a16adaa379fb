package dev.chainkit.bench.p6;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: a raw Netty echo of the same frames over loopback TCP, one thread per side as for the engine. The
 * client writes the request frame, the server cuts frames by their length prefix and answers each with the reply
 * frame, flushing once per read batch; the client does the same. No handshake, no envelope decoding, no chain state.
 *
 * <p>Thread safety: a benchmark driver; its loop runs on the client's event-loop thread.
 */
final class RawEcho implements Contender {

    private final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Channel client;
    private final ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(WireBytes.REQUEST));
    private final ByteBuf reply = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(WireBytes.REPLY));
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
    private Loop loop;

    RawEcho() {
        server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 0),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ((ByteBuf) msg).release();
                                        ctx.write(reply.duplicate(), ctx.voidPromise());
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();
                                    }
                                });
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
        client = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 0),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ((ByteBuf) msg).release();
                                        loop.completed(sentAt.poll());
                                        if (loop.running()) {
                                            send(ctx.channel());
                                        }
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();
                                    }
                                });
                    }
                }).connect(server.localAddress()).syncUninterruptibly().channel();
    }

    @Override
    public String name() {
        return "raw echo";
    }

    @Override
    public void start(Loop l, int inFlight) {
        client.eventLoop().execute(() -> {
            loop = l;
            sentAt.clear();
            for (int i = 0; i < inFlight; i++) {
                send(client);
            }
            client.flush();
        });
    }

    private void send(Channel ch) {
        sentAt.add(System.nanoTime());
        ch.write(request.duplicate(), ch.voidPromise());
    }

    @Override
    public long[] threadIds() throws Exception {
        return new long[] {clientGroup.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS),
                serverGroup.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS)};
    }

    @Override
    public void sync() throws Exception {
        client.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
